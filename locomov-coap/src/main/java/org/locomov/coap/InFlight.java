package org.locomov.coap;

import java.time.Duration;

/**
 * Requests being stored, so that shutdown lets them be answered (within the drain time) before the endpoint
 * closes, and refuses new ones meanwhile. Thread-safe: one monitor.
 */
final class InFlight {

    private int count;
    private boolean closing;

    /** False once closing: the request must be refused. */
    synchronized boolean enter() {
        if (closing) {
            return false;
        }
        count++;
        return true;
    }

    synchronized void leave() {
        if (--count == 0) {
            notifyAll();
        }
    }

    /** Refuses new requests, then waits up to {@code drain} for those in flight; true when none is left. */
    synchronized boolean close(Duration drain) {
        closing = true;
        long deadline = System.nanoTime() + drain.toNanos();
        while (count > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
