package org.locomov.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The original mov-server's flags, so that locomov can replace it under the same start script. */
class LegacyAliasesTest {

    @Test
    void dbdbNamesADatabaseOnTheLocalDefaultPort() {
        ServerSettings settings = CommandLines.validSettings(CommandLines.serve(Map.of(), "-dbdb", "movdb"));

        assertThat(settings.store().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/movdb");
    }

    @Test
    void dbuserAndDbpwAreTheCredentialsOfTheDatabase() {
        ServerSettings settings = CommandLines.validSettings(CommandLines.serve(Map.of(),
                "-dbdb", "movdb", "-dbuser", "mov", "-dbpw", "secret"));

        assertThat(settings.store().user()).isEqualTo("mov");
        assertThat(settings.store().password()).isEqualTo("secret");
    }

    @Test
    void originalFlagsAlsoAcceptTheEqualsForm() {
        ServerSettings settings = CommandLines.validSettings(CommandLines.serve(Map.of(),
                "-dbdb=movdb", "-dbuser=mov", "-secure=true"));

        assertThat(settings.store().jdbcUrl()).endsWith("/movdb");
        assertThat(settings.store().user()).isEqualTo("mov");
        assertThat(settings.legacySecureFlagGiven()).isTrue();
    }

    @Test
    void secureIsAcceptedAndRecorded() {
        ServerSettings settings = CommandLines.validSettings(CommandLines.serve(Map.of(), "-secure"));

        assertThat(settings.legacySecureFlagGiven()).isTrue();
        assertThat(settings.store().usesEmbeddedServer()).isTrue();
    }

    @Test
    void dbdbTogetherWithDbUrlIsRefused() {
        var reasons = CommandLines.refusals(CommandLines.serve(Map.of(),
                "-dbdb", "movdb", "--db-url", "jdbc:postgresql://db/x"));

        assertThat(reasons).anyMatch(reason -> reason.contains("--db-url") && reason.contains("-dbdb"));
    }

    @Test
    void dbdbReadsItsOwnEnvironmentVariable() {
        ServerSettings settings = CommandLines.validSettings(CommandLines.serve(Map.of("LOCOMOV_DBDB", "movdb")));

        assertThat(settings.store().jdbcUrl()).endsWith("/movdb");
    }
}
