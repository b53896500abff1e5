package org.locomov.server;

import ch.qos.logback.classic.LoggerContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.locomov.store.OwnerOnlyFiles;
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
    /** Read by {@code logback.xml}: the console's lowest level ({@code -stderrthreshold}). */
    static final String CONSOLE_THRESHOLD_PROPERTY = "locomov.console.threshold";
    /** Read by {@code logback.xml}: the level of locomov's own loggers ({@code -v}). */
    static final String LOCOMOV_LEVEL_PROPERTY = "locomov.level";
    /** Console only, to stderr ({@code -logtostderr}). */
    static final String STDERR_ONLY_CONFIGURATION = "logback-stderr.xml";
    private static final String CONFIGURATION_PROPERTY = "logback.configurationFile";

    private Logging() {
    }

    /**
     * Sets what {@code logback.xml} reads. The data directory and the log directory are made owner-only
     * first: the log names devices and peers.
     */
    static void forServer(Path dataDir, LogSettings settings) throws IOException {
        OwnerOnlyFiles.directory(dataDir);
        Path logDirectory = settings.logDirectory(dataDir);
        // The operator's own -log_dir (say /var/log/mov) is created owner-only when missing, never re-permissioned.
        if (settings.files() && (settings.logDirectory() == null || !Files.exists(logDirectory))) {
            OwnerOnlyFiles.directory(logDirectory);
        }
        if (!settings.files() && System.getProperty(CONFIGURATION_PROPERTY) == null) {
            System.setProperty(CONFIGURATION_PROPERTY, STDERR_ONLY_CONFIGURATION);
        }
        System.setProperty(LOG_DIRECTORY_PROPERTY, logDirectory.toString());
        System.setProperty(CONSOLE_THRESHOLD_PROPERTY, settings.consoleThreshold());
        System.setProperty(LOCOMOV_LEVEL_PROPERTY, settings.locomovLevel());
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
