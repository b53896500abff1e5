package org.locomov.particle;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Handshakes in progress on one listener. Each costs an RSA-2048 decryption and signature, so their number
 * is bounded apart from the sessions: a flood of new connections cannot starve established ones.
 *
 * <p>Thread-safe: one counter shared by every event loop of the listener.
 */
final class HandshakeLimiter {

    private final int max;
    private final AtomicInteger inProgress = new AtomicInteger();

    HandshakeLimiter(int max) {
        this.max = max;
    }

    boolean tryAcquire() {
        int current;
        do {
            current = inProgress.get();
            if (current >= max) {
                return false;
            }
        } while (!inProgress.compareAndSet(current, current + 1));
        return true;
    }

    void release() {
        inProgress.decrementAndGet();
    }

    int inProgress() {
        return inProgress.get();
    }

    int max() {
        return max;
    }
}
