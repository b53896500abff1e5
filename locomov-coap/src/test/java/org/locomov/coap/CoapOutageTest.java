package org.locomov.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.core.IngestSettings;
import org.locomov.store.testing.StoppableDatabase;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.DeviceCredentials;
import org.locomov.tls.KeyType;

/** The promise while PostgreSQL is down: 5.03 with Max-Age, nothing acknowledged; 2.01 again once it is back. */
class CoapOutageTest {

    @TempDir
    Path work;

    private StoppableDatabase postgres;
    private CoapUnderTest coap;

    @BeforeEach
    void start() {
        postgres = TestDatabase.ownServer();
        coap = new CoapUnderTest(postgres.database(), work, CoapSettings.loopbackDefaults(),
                new IngestSettings(100, 10, Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() {
        coap.close();
        postgres.close();
    }

    @Test
    void storageOutageIsAnswered503WithMaxAgeAndTheRetryAfterItIsBackGets201() {
        DeviceCredentials device = coap.device(7, KeyType.EC);
        try (DtlsClient client = DtlsClient.psk(new InetSocketAddress("127.0.0.1", coap.listener.port()), device)) {
            assertThat(client.post("/readings", "{\"voltage\":1}").getCode()).isEqualTo(ResponseCode.CREATED);

            postgres.stopServer();
            CoapResponse during = client.post("/readings", "{\"voltage\":7}");

            assertThat(during.getCode()).isEqualTo(ResponseCode.SERVICE_UNAVAILABLE);
            assertThat(during.getOptions().getMaxAge()).isEqualTo(Replies.RETRY_AFTER_SECONDS);
            assertThat(coap.refused("storage_unavailable")).isEqualTo(1);

            postgres.startServer();
            assertThat(client.post("/readings", "{\"voltage\":8}").getCode()).isEqualTo(ResponseCode.CREATED);
        }
        assertThat(TestDatabase.count(postgres.database(), "SELECT count(*) FROM reading WHERE voltage = 7")).isZero();
        assertThat(coap.packets()).isEqualTo(2);
    }
}
