package org.locomov.server;

import ch.qos.logback.classic.LoggerContext;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Chooses the logback configuration before the first logger exists, and stops logback last.
 *
 * <p>{@code serve} logs to the console and to rolling files under {@code <data-dir>/logs}
 * ({@code logback.xml}); the short-lived commands ({@code device}, {@code send}) log warnings to the
 * console only ({@code logback-tool.xml}), so that they never write into a running server's log files.
 * An operator's own {@code -Dlogback.configurationFile} (through {@code LOCOMOV_JAVA_OPTS}) wins.
 */
final class Logging {

    /** Read by {@code logback.xml}. */
    static final String LOG_DIRECTORY_PROPERTY = "locomov.log.dir";
    private static final String CONFIGURATION_PROPERTY = "logback.configurationFile";

    private Logging() {
    }

    static void forServer(Path dataDir) {
        System.setProperty(LOG_DIRECTORY_PROPERTY, logDirectory(dataDir).toString());
    }

    static void forTool() {
        if (System.getProperty(CONFIGURATION_PROPERTY) == null) {
            System.setProperty(CONFIGURATION_PROPERTY, "logback-tool.xml");
        }
    }

    static Path logDirectory(Path dataDir) {
        return dataDir.resolve("logs");
    }

    /**
     * Flushes and closes every appender. Called once, after everything else has stopped: logback's own
     * shutdown hook is not installed ({@code logback.xml} has no {@code <shutdownHook/>}), because it
     * could run before the last lines of the shutdown were written.
     */
    static void stop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
