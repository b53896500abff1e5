package org.locomov.server;

import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Stops a running {@link Locomov} in order on SIGTERM or SIGINT, and lets the process exit 0 after it.
 *
 * <p>Why a signal handler and not only a shutdown hook: shutdown hooks run concurrently and in no set
 * order, and the embedded PostgreSQL library registers its own hook that stops the database. That
 * could stop PostgreSQL while the batch writer still commits what it has queued, and a JVM leaving
 * through SIGTERM exits with status 143. Handling the signal runs the whole orderly close first;
 * the shutdown hook stays as a fallback for other ways out (another signal, {@code System.exit}).
 * See docs/decisions/0402-graceful-shutdown.md.
 *
 * <p>Threads: {@link #run()} is called from the JVM's signal dispatch thread, from the shutdown hook
 * thread, or both; it is synchronized and does its work once. {@link #awaitCompletion()} is called
 * by the main thread.
 */
final class GracefulShutdown implements Runnable {

    private final Locomov locomov;
    private final CountDownLatch completed = new CountDownLatch(1);
    private boolean done; // guarded by this

    GracefulShutdown(Locomov locomov) {
        this.locomov = locomov;
    }

    /** Installs the signal handlers and the fallback shutdown hook. */
    void install() {
        Signal.handle(new Signal("TERM"), signal -> stop("SIGTERM"));
        Signal.handle(new Signal("INT"), signal -> stop("SIGINT"));
        Runtime.getRuntime().addShutdownHook(new Thread(this, "locomov-shutdown-hook"));
    }

    private void stop(String reason) {
        LoggerFactory.getLogger(GracefulShutdown.class).info("{} received: stopping", reason);
        run();
    }

    @Override
    public synchronized void run() {
        if (done) {
            return;
        }
        try {
            locomov.close();
        } finally {
            Logging.stop();
            done = true;
            completed.countDown();
        }
    }

    /** Blocks the main thread until the server has stopped. */
    void awaitCompletion() {
        boolean interrupted = false;
        while (true) {
            try {
                completed.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
