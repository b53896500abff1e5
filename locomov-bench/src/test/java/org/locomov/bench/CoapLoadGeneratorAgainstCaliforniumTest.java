package org.locomov.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.californium.core.CoapServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CoAP phases' generator against the bare Californium server over real DTLS on loopback: every request sent
 * comes back 2.01, in this JVM and with the server in its own JVM as the californium phase runs it; a device whose
 * key the server does not know gets no 2.01 and counts as an error.
 */
class CoapLoadGeneratorAgainstCaliforniumTest {

    private static final int REQUESTS = 40;
    private static final Duration LONG_WINDOW = Duration.ofMinutes(2);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void everyRequestGetsItsCreated() throws Exception {
        List<DtlsPsk> keys = DtlsPsk.random(1_000_000, 4);
        CoapServer server = BareCaliforniumServer.start(keys);
        try {
            LoadResult result = new CoapLoadGenerator(server.getEndpoints().getFirst().getAddress().getPort(), keys,
                    Duration.ZERO, LONG_WINDOW, REQUESTS, ACK_TIMEOUT).run(LoadGenerator.WindowObserver.NONE);

            assertThat(result.errorsByReason()).isEmpty();
            assertThat(result.packetsSent()).isEqualTo(REQUESTS);
            assertThat(result.acks()).isEqualTo(REQUESTS);
        } finally {
            server.destroy();
        }
    }

    @Test
    void theServerInItsOwnJvmAnswersAndIsMeasured() throws Exception {
        List<DtlsPsk> keys = DtlsPsk.random(1_000_000, 2);
        try (CaliforniumProcess californium = CaliforniumProcess.start(dir.resolve("californium"), keys, List.of(),
                Duration.ofMinutes(3))) {
            ResourceWindow window = new ResourceWindow(BenchRun.CALIFORNIUM,
                    java.util.Map.of(BenchRun.CALIFORNIUM, californium.stats()));
            LoadResult result = new CoapLoadGenerator(californium.port(), keys, Duration.ZERO, LONG_WINDOW, REQUESTS,
                    ACK_TIMEOUT).run(window);

            assertThat(result.errorsByReason()).isEmpty();
            assertThat(result.acks()).isEqualTo(REQUESTS);
            assertThat(window.usage().serverPeakKib()).as("the child JVM's resident memory").isPositive();
            assertThat(Files.getPosixFilePermissions(dir.resolve("californium/psk.txt")))
                    .extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        }
    }

    @Test
    void aDeviceWithAnUnknownKeyGetsNoCreated() throws Exception {
        CoapServer server = BareCaliforniumServer.start(DtlsPsk.random(1_000_000, 1));
        try {
            List<DtlsPsk> stranger = DtlsPsk.random(1_000_000, 1);  // same identity, another key
            LoadResult result = new CoapLoadGenerator(server.getEndpoints().getFirst().getAddress().getPort(), stranger,
                    Duration.ZERO, LONG_WINDOW, 1, Duration.ofSeconds(3)).run(LoadGenerator.WindowObserver.NONE);

            assertThat(result.acks()).isZero();
            assertThat(result.errors()).isEqualTo(1);
        } finally {
            server.destroy();
        }
    }
}
