package org.locomov.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping the peers and servers the bench starts as child processes (each under {@code timeout}). */
final class ChildProcesses {

    private ChildProcesses() {
    }

    /**
     * SIGTERM (which {@code timeout} passes on), then, after {@code grace}, SIGKILL to the process and everything it
     * started, so that nothing of a run outlives it.
     */
    static void stop(Process process, Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
    }
}
