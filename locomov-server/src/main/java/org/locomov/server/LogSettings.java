package org.locomov.server;

import java.nio.file.Path;
import java.util.List;

/**
 * How {@code serve} logs, set before the first logger exists. The defaults are locomov's own (console and
 * rolling files under {@code <data-dir>/logs}, INFO); the original mov-server's Go logging flags change them
 * ({@link GoLogFlags}).
 *
 * @param consoleThreshold lowest level the console shows (logback's name: TRACE, DEBUG, INFO, WARN, ERROR)
 * @param files            whether log files are written at all ({@code -logtostderr} turns them off)
 * @param logDirectory     where the files go; {@code null}: {@code <data-dir>/logs}
 * @param locomovLevel     level of locomov's own loggers (INFO; {@code -v} lowers it)
 * @param notes            one line per Go flag given, saying what it did, logged once logging runs
 */
record LogSettings(String consoleThreshold, boolean files, Path logDirectory, String locomovLevel, List<String> notes) {

    static final LogSettings DEFAULTS = new LogSettings("TRACE", true, null, "INFO", List.of());

    LogSettings {
        notes = List.copyOf(notes);
    }

    Path logDirectory(Path dataDir) {
        return logDirectory != null ? logDirectory : Logging.logDirectory(dataDir);
    }
}
