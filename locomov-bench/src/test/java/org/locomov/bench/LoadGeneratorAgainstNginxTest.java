package org.locomov.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator driven briefly against Debian's nginx terminating real TLS 1.2 with the CC3220S suite:
 * every packet sent must come back acknowledged, in both modes.
 */
class LoadGeneratorAgainstNginxTest {

    private static final int PACKETS = 50;
    private static final Duration NGINX_LIFETIME = Duration.ofMinutes(2);

    @TempDir
    static Path dir;
    static BenchCertificates certificates;

    @BeforeAll
    static void certificates() throws Exception {
        assumeTrue(NginxTlsTerminator.unavailableReason().isEmpty(),
                () -> "skipped: " + NginxTlsTerminator.unavailableReason().orElseThrow());
        certificates = BenchCertificates.create(dir.resolve("trusted"));
    }

    @Test
    void connectPerPacketGetsAnAckForEveryPacketSent() throws Exception {
        try (NginxTlsTerminator nginx = NginxTlsTerminator.startAnswering(dir.resolve("nginx-return"),
                certificates.chainPem(), certificates.keyPem(), NGINX_LIFETIME)) {
            LoadResult result = run(LoadMode.CONNECT_PER_PACKET, nginx.port());

            assertThat(result.errorsByReason()).isEmpty();
            assertThat(result.packetsSent()).isEqualTo(PACKETS);
            assertThat(result.acks()).isEqualTo(PACKETS);
            assertThat(result.ackLatency().count()).isEqualTo(PACKETS);
        }
    }

    @Test
    void persistentConnectionsGetAnAckForEveryPacketSent() throws Exception {
        try (PacketAckBackend backend = new PacketAckBackend();
                NginxTlsTerminator nginx = NginxTlsTerminator.startProxying(dir.resolve("nginx-proxy"),
                        certificates.chainPem(), certificates.keyPem(), NGINX_LIFETIME, backend.port())) {
            LoadResult result = run(LoadMode.PERSISTENT, nginx.port());

            assertThat(result.errorsByReason()).isEmpty();
            assertThat(result.packetsSent()).isEqualTo(PACKETS);
            assertThat(result.acks()).isEqualTo(PACKETS);
        }
    }

    @Test
    void pipeliningDevicesGetAnAckForEveryPacketSent() throws Exception {
        try (PacketAckBackend backend = new PacketAckBackend();
                NginxTlsTerminator nginx = NginxTlsTerminator.startProxying(dir.resolve("nginx-pipelined"),
                        certificates.chainPem(), certificates.keyPem(), NGINX_LIFETIME, backend.port())) {
            LoadResult result = new LoadGenerator(settings(LoadMode.PERSISTENT, nginx.port()).withInFlight(4),
                    DeviceTls.cc3220s(certificates.caPem())).run();

            assertThat(result.errorsByReason()).isEmpty();
            assertThat(result.packetsSent()).isEqualTo(PACKETS);
            assertThat(result.acks()).isEqualTo(PACKETS);
            assertThat(result.ackLatency().count()).isEqualTo(PACKETS);
        }
    }

    @Test
    void untrustedServerCertificateMakesEveryExchangeAnErrorNotAnAck() throws Exception {
        // nginx's certificate is not signed by the CA the devices trust: every handshake must fail.
        BenchCertificates otherCa = BenchCertificates.create(dir.resolve("other-ca"));
        try (NginxTlsTerminator nginx = NginxTlsTerminator.startAnswering(dir.resolve("nginx-untrusted"),
                otherCa.chainPem(), otherCa.keyPem(), NGINX_LIFETIME)) {
            LoadResult result = run(LoadMode.CONNECT_PER_PACKET, nginx.port());

            assertThat(result.acks()).isZero();
            assertThat(result.errors()).isEqualTo(PACKETS);
            assertThat(result.errorsByReason().keySet()).allMatch(reason -> reason.startsWith("handshake failed"));
        }
    }

    private static LoadResult run(LoadMode mode, int port) throws Exception {
        return new LoadGenerator(settings(mode, port), DeviceTls.cc3220s(certificates.caPem())).run();
    }

    private static LoadSettings settings(LoadMode mode, int port) {
        return LoadSettings.of("127.0.0.1", port, certificates.caPem(), mode)
                .withDevices(8)
                .withTiming(Duration.ZERO, Duration.ofSeconds(60))
                .withMaxPackets(PACKETS)
                .withIoThreads(2);
    }
}
