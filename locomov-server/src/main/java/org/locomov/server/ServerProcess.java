package org.locomov.server;

import java.io.IOException;
import java.io.PrintWriter;
import org.locomov.tls.TlsLibrary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code serve} as the process's one job: logging under the data directory, start, banner, then
 * wait for a signal and stop in order. The exit status is 0 after an orderly stop, 1 when start-up fails.
 */
final class ServerProcess {

    static final int START_FAILED = 1;

    private ServerProcess() {
    }

    static int run(ServerSettings settings, PrintWriter out) {
        try {
            Logging.forServer(settings.dataDir(), settings.logs());
        } catch (IOException e) {
            out.println("locomov could not start: " + e.getMessage());
            out.flush();
            return START_FAILED;
        }
        // The first logger of the process: only now, with the log directory set.
        Logger log = LoggerFactory.getLogger(ServerProcess.class);
        settings.logs().notes().forEach(note -> log.info("{}", note));
        Locomov locomov;
        try {
            // Before any listener touches Netty: the native TLS library is bound once per process.
            TlsLibrary.select(settings.tlsProvider());
            locomov = Locomov.start(settings);
        } catch (RuntimeException e) {
            log.error("locomov could not start: {}", e.getMessage(), e);
            Logging.stop();
            return START_FAILED;
        }
        GracefulShutdown shutdown = new GracefulShutdown(locomov);
        shutdown.install();
        String banner = locomov.banner().render();
        log.info("Ready: {}", locomov.banner().listeners().stream()
                .map(listener -> listener.name() + " on port " + listener.port()).toList());
        out.println(banner);
        out.flush();
        shutdown.awaitCompletion();
        return 0;
    }
}
