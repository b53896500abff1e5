package org.locomov.mov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.locomov.tls.CipherProfile;

class MovSettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        MovSettings defaults = MovSettings.defaults();

        assertThat(defaults.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(defaults.port()).isEqualTo(38981);
        assertThat(defaults.cipherProfile()).isEqualTo(CipherProfile.CC32XX);
        assertThat(defaults.maxPacketBytes()).isEqualTo(16_384);
        assertThat(defaults.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.maxConnections()).isEqualTo(10_000);
        assertThat(defaults.drainTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void portOutsideTheTcpRangeIsRefusedNamingTheOption() {
        assertThatIllegalArgumentException().isThrownBy(() -> MovSettings.defaults().withPort(70_000))
                .withMessage("--mov-port must be between 0 and 65535, was 70000");
    }

    @Test
    void packetLimitOutsideItsRangeIsRefusedNamingTheOption() {
        assertThatIllegalArgumentException().isThrownBy(() -> MovSettings.defaults().withMaxPacketBytes(10))
                .withMessageStartingWith("--mov-max-packet-bytes must be between 256 and 1048576");
    }

    @Test
    void nonPositiveDurationsAndCountsAreRefusedNamingTheOption() {
        assertThatIllegalArgumentException().isThrownBy(() -> MovSettings.defaults().withIdleTimeout(Duration.ZERO))
                .withMessageStartingWith("--mov-idle-timeout must be positive");
        assertThatIllegalArgumentException().isThrownBy(() -> MovSettings.defaults().withMaxConnections(0))
                .withMessageStartingWith("--mov-max-connections must be at least 1");
        assertThatIllegalArgumentException().isThrownBy(() -> MovSettings.defaults().withBindAddress(" "))
                .withMessageStartingWith("--mov-bind must name an address");
    }

    @Test
    void windowOutsideItsRangeIsRefusedNamingTheOption() {
        assertThat(MovSettings.defaults().maxInFlight()).isEqualTo(16);
        assertThatIllegalArgumentException().isThrownBy(() -> MovSettings.defaults().withMaxInFlight(0))
                .withMessage("--mov-max-in-flight must be between 1 and 1024, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> MovSettings.defaults().withMaxInFlight(1025))
                .withMessage("--mov-max-in-flight must be between 1 and 1024, was 1025");
    }
}
