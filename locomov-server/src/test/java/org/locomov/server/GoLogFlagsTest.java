package org.locomov.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The original mov-server's start line and its Go (glog) logging flags (issue 12). */
class GoLogFlagsTest {

    /** {@code ./mov-server -stderrthreshold=INFO -secure -dbdb=m0v -dbuser=sridhar -dbpw=}, program name changed. */
    private static final String[] ORIGINAL_START_LINE =
            {"-stderrthreshold=INFO", "-secure", "-dbdb=m0v", "-dbuser=sridhar", "-dbpw="};

    private static ServeCommand parse(String... args) {
        String[] withCommand = Main.withDefaultCommand(args);
        assertThat(withCommand[0]).isEqualTo("serve");
        String[] serveArgs = java.util.Arrays.copyOfRange(withCommand, 1, withCommand.length);
        return CommandLines.serve(Map.of(), serveArgs);
    }

    @Test
    void theOriginalStartLineMeansServeWithItsDatabaseAndConsoleThreshold() {
        ServerSettings settings = CommandLines.validSettings(parse(ORIGINAL_START_LINE));

        assertThat(settings.store().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/m0v");
        assertThat(settings.store().user()).isEqualTo("sridhar");
        assertThat(settings.store().password()).isEmpty();
        assertThat(settings.legacySecureFlagGiven()).isTrue();
        assertThat(settings.logs().consoleThreshold()).isEqualTo("INFO");
        assertThat(settings.logs().files()).isTrue();
        assertThat(settings.logs().notes()).containsExactly(
                "-stderrthreshold=INFO: the console shows INFO and above; the log files keep everything");
    }

    @Test
    void eachGlogFlagMapsToLocomovsLoggingOrSaysItHasNoEffect() {
        ServerSettings settings = CommandLines.validSettings(parse("-logtostderr", "-alsologtostderr=true", "-v=2",
                "-log_dir=/var/log/mov", "-vmodule=main=3", "-stderrthreshold=WARNING"));

        assertThat(settings.logs().files()).isFalse();
        assertThat(settings.logs().locomovLevel()).isEqualTo("DEBUG");
        assertThat(settings.logs().consoleThreshold()).isEqualTo("WARN");
        assertThat(settings.logs().notes()).containsExactly(
                "-stderrthreshold=WARNING: the console shows WARN and above; the log files keep everything",
                "-logtostderr: logging to stderr only, no log files",
                "-alsologtostderr: no effect, locomov logs to the console and to files anyway",
                "-v=2: locomov logs at DEBUG",
                "-log_dir: no effect with -logtostderr",
                "-vmodule: no effect (locomov has no per-file verbosity)");
    }

    @Test
    void logDirMovesTheLogFiles() {
        ServerSettings settings = CommandLines.validSettings(parse("-log_dir", "/var/log/mov", "-v", "0"));

        assertThat(settings.logs().logDirectory(Path.of("/data"))).isEqualTo(Path.of("/var/log/mov"));
        assertThat(settings.logs().locomovLevel()).isEqualTo("INFO");
    }

    @Test
    void withoutGlogFlagsLocomovLogsAsBefore() {
        ServerSettings settings = CommandLines.validSettings(CommandLines.serve(Map.of()));

        assertThat(settings.logs()).isEqualTo(LogSettings.DEFAULTS);
        assertThat(settings.logs().logDirectory(Path.of("/data"))).isEqualTo(Path.of("/data/logs"));
    }

    @Test
    void anUnknownThresholdIsRefusedNamingTheFlag() {
        assertThat(CommandLines.refusals(parse("-stderrthreshold=LOUD")))
                .containsExactly("-stderrthreshold takes INFO, WARNING, ERROR, FATAL or 0-3, was 'LOUD'");
    }

    @Test
    void subcommandsHelpAndVersionAreLeftAlone() {
        assertThat(Main.withDefaultCommand(new String[] {"device", "list"})).containsExactly("device", "list");
        assertThat(Main.withDefaultCommand(new String[] {"--version"})).containsExactly("--version");
        assertThat(Main.withDefaultCommand(new String[] {})).isEmpty();
    }
}
