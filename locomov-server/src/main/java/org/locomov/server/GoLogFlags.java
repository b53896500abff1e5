package org.locomov.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The logging flags of Go's glog, which the original mov-server and mov-confo-server took
 * ({@code ./mov-server -stderrthreshold=INFO -secure -dbdb=m0v ...}), accepted so that their start scripts
 * run locomov with only the program name changed. Each is mapped to locomov's logging, or accepted with a
 * log line saying it has no effect; see docs/decisions/0106-original-start-line.md.
 */
final class GoLogFlags {

    private static final Map<String, String> GLOG_LEVELS = Map.of(
            "INFO", "INFO", "0", "INFO",
            "WARNING", "WARN", "1", "WARN",
            "ERROR", "ERROR", "2", "ERROR",
            "FATAL", "ERROR", "3", "ERROR");

    @Option(names = {"-stderrthreshold", "--stderrthreshold"}, paramLabel = "LEVEL",
            description = "The original's glog flag: the console shows only this level and above "
                    + "(INFO, WARNING, ERROR, FATAL or 0-3). Log files keep everything.")
    String stderrThreshold;

    @Option(names = {"-logtostderr", "--logtostderr"}, arity = "0..1", paramLabel = "BOOLEAN",
            description = "The original's glog flag: log to stderr only, no log files.")
    boolean logToStderr;

    @Option(names = {"-alsologtostderr", "--alsologtostderr"}, arity = "0..1", paramLabel = "BOOLEAN",
            description = "The original's glog flag: log to stderr and to files, which locomov does anyway.")
    boolean alsoLogToStderr;

    @Option(names = {"-v", "--v"}, paramLabel = "N",
            description = "The original's glog verbosity: 1 or 2 log locomov's DEBUG lines, 3 and above TRACE.")
    Integer verbosity;

    @Option(names = {"-log_dir", "--log_dir"}, paramLabel = "DIR",
            description = "The original's glog flag: the directory of the log files (default <data-dir>/logs).")
    Path logDir;

    @Option(names = {"-vmodule", "--vmodule"}, paramLabel = "PATTERNS", hidden = true,
            description = "The original's glog flag; accepted, no effect.")
    String vmodule;

    @Option(names = {"-log_backtrace_at", "--log_backtrace_at"}, paramLabel = "FILE:LINE", hidden = true,
            description = "The original's glog flag; accepted, no effect.")
    String logBacktraceAt;

    /** The logging these flags ask for, or {@code null} after telling {@code problems} what is wrong. */
    LogSettings settings(SettingsProblems problems) {
        List<String> notes = new ArrayList<>();
        String consoleThreshold = LogSettings.DEFAULTS.consoleThreshold();
        if (stderrThreshold != null) {
            String level = GLOG_LEVELS.get(stderrThreshold.toUpperCase(Locale.ROOT));
            if (level == null) {
                problems.refuseIf(true, "-stderrthreshold takes INFO, WARNING, ERROR, FATAL or 0-3, was '"
                        + stderrThreshold + "'");
                return null;
            }
            consoleThreshold = level;
            notes.add("-stderrthreshold=" + stderrThreshold + ": the console shows " + level
                    + " and above; the log files keep everything");
        }
        if (logToStderr) {
            notes.add("-logtostderr: logging to stderr only, no log files");
        }
        if (alsoLogToStderr) {
            notes.add("-alsologtostderr: no effect, locomov logs to the console and to files anyway");
        }
        String locomovLevel = LogSettings.DEFAULTS.locomovLevel();
        if (verbosity != null) {
            problems.checkAtLeast("-v", verbosity, 0);
            locomovLevel = verbosity >= 3 ? "TRACE" : verbosity >= 1 ? "DEBUG" : "INFO";
            notes.add("-v=" + verbosity + ": locomov logs at " + locomovLevel);
        }
        Path directory = null;
        if (logDir != null) {
            directory = logDir.toAbsolutePath().normalize();
            notes.add(logToStderr ? "-log_dir: no effect with -logtostderr"
                    : "-log_dir=" + logDir + ": log files go to " + directory);
        }
        if (vmodule != null) {
            notes.add("-vmodule: no effect (locomov has no per-file verbosity)");
        }
        if (logBacktraceAt != null) {
            notes.add("-log_backtrace_at: no effect (locomov logs a stack trace with every unexpected error)");
        }
        return new LogSettings(consoleThreshold, !logToStderr, directory, locomovLevel, notes);
    }
}
