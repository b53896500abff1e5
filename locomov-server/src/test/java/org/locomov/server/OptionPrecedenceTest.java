package org.locomov.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class OptionPrecedenceTest {

    @TempDir
    Path directory;

    private Path configFile(String text) throws IOException {
        return Files.writeString(directory.resolve("locomov.properties"), text);
    }

    @Test
    void flagWinsOverEnvironmentAndFile() throws IOException {
        Path config = configFile("mov-port=1111\n");
        ServeCommand serve = CommandLines.serve(Map.of("LOCOMOV_MOV_PORT", "2222"),
                "--config", config.toString(), "--mov-port", "3333");

        assertThat(CommandLines.mov(CommandLines.validSettings(serve)).port()).isEqualTo(3333);
    }

    @Test
    void environmentWinsOverFile() throws IOException {
        Path config = configFile("mov-port=1111\nidle-timeout=5m\n");
        ServeCommand serve = CommandLines.serve(Map.of("LOCOMOV_MOV_PORT", "2222"), "--config", config.toString());

        ServerSettings settings = CommandLines.validSettings(serve);
        assertThat(CommandLines.mov(settings).port()).isEqualTo(2222);
        assertThat(CommandLines.mov(settings).idleTimeout()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void fileWinsOverDefault() throws IOException {
        Path config = configFile("db-url=jdbc:postgresql://db.example:5432/meters\ningest-max-batch=50\n");
        ServeCommand serve = CommandLines.serve(Map.of(), "--config", config.toString());

        ServerSettings settings = CommandLines.validSettings(serve);
        assertThat(settings.store().jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5432/meters");
        assertThat(settings.ingest().maxBatchSize()).isEqualTo(50);
    }

    @Test
    void documentedDefaultsApplyWhenNothingIsGiven() {
        ServerSettings settings = CommandLines.validSettings(CommandLines.serve(Map.of()));

        assertThat(CommandLines.mov(settings).port()).isEqualTo(38981);
        assertThat(CommandLines.mov(settings).bindAddress()).isEqualTo("0.0.0.0");
        assertThat(CommandLines.mov(settings).cipherProfile().configName()).isEqualTo("cc32xx");
        assertThat(settings.store().usesEmbeddedServer()).isTrue();
        assertThat(settings.dataDir()).isEqualTo(Path.of("locomov-data").toAbsolutePath());
        assertThat(settings.tls()).isEqualTo(new TlsSource.DevelopmentCa(
                Path.of("locomov-data", "tls").toAbsolutePath(), java.util.List.of()));
        assertThat(settings.autoRegister()).isFalse();
    }

    @Test
    void configFileCanBeNamedByTheEnvironment() throws IOException {
        Path config = configFile("auto-register=true\n");
        ServeCommand serve = CommandLines.serve(Map.of("LOCOMOV_CONFIG", config.toString()));

        assertThat(CommandLines.validSettings(serve).autoRegister()).isTrue();
    }

    @Test
    void blankEnvironmentVariableCountsAsUnset() throws IOException {
        Path config = configFile("mov-port=1111\n");
        ServeCommand serve = CommandLines.serve(Map.of("LOCOMOV_MOV_PORT", " "), "--config", config.toString());

        assertThat(CommandLines.mov(CommandLines.validSettings(serve)).port()).isEqualTo(1111);
    }

    @Test
    void repeatableOptionReadsCommaSeparatedEnvironment() {
        ServeCommand serve = CommandLines.serve(Map.of("LOCOMOV_TLS_NAME", "meters.lan,10.0.0.5"));

        assertThat(CommandLines.validSettings(serve).tls())
                .isEqualTo(new TlsSource.DevelopmentCa(Path.of("locomov-data", "tls").toAbsolutePath(),
                        java.util.List.of("meters.lan", "10.0.0.5")));
    }

    @Test
    void deviceCommandsShareTheDatabaseOptions() {
        DeviceCommand.AddDevice add = CommandLines.subcommand(Map.of("LOCOMOV_DATA_DIR", directory.toString()),
                "device", "add", "--id", "7");

        assertThat(add.database.dataDirectory()).isEqualTo(directory.toAbsolutePath());
        assertThat(add.deviceId).isEqualTo(7);
    }

    @Test
    void unknownKeyInConfigFileIsRefusedNamingTheKey() throws IOException {
        Path config = configFile("db-ulr=jdbc:postgresql://db/x\n");

        assertThatThrownBy(() -> CommandLines.serve(Map.of(), "--config", config.toString()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--config")
                .hasMessageContaining("db-ulr");
    }

    @Test
    void missingConfigFileIsRefusedNamingTheOption() {
        Path missing = directory.resolve("absent.properties");

        assertThatThrownBy(() -> CommandLines.serve(Map.of(), "--config", missing.toString()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--config")
                .hasMessageContaining("absent.properties");
    }
}
