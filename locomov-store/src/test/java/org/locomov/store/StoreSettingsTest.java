package org.locomov.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StoreSettingsTest {

    private static final Path DATA = Path.of("locomov-data");

    @Test
    void defaultsRunTheEmbeddedServerUnderTheDataDirectoryAndKeepEverything() {
        StoreSettings settings = StoreSettings.embedded(DATA);
        assertThat(settings.usesEmbeddedServer()).isTrue();
        assertThat(settings.embeddedDirectory()).isEqualTo(DATA.resolve("postgres"));
        assertThat(settings.poolSize()).isEqualTo(8);
        assertThat(settings.retention()).isZero();
    }

    @Test
    void badValuesAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> StoreSettings.external("mysql://x", null, null, DATA)).hasMessageContaining("--db-url");
        assertThatThrownBy(() -> StoreSettings.embedded(DATA).withPoolSize(0)).hasMessageContaining("--db-pool-size");
        assertThatThrownBy(() -> StoreSettings.embedded(DATA).withEmbeddedPort(70_000)).hasMessageContaining("--embedded-db-port");
        assertThatThrownBy(() -> StoreSettings.embedded(DATA).withRetention(Duration.ofHours(2))).hasMessageContaining("--retention-days");
        assertThatThrownBy(() -> StoreSettings.embedded(null)).hasMessageContaining("--data-dir");
    }

    @Test
    void thePasswordIsNeverShown() {
        StoreSettings settings = StoreSettings.external("jdbc:postgresql://db/locomov?password=hunter2", "u", "hunter2", DATA);
        assertThat(settings.toString()).doesNotContain("hunter2").contains("password=***");
    }
}
