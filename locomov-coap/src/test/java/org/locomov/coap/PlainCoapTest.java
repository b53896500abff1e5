package org.locomov.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locomov.core.IngestSettings;
import org.locomov.store.Database;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.CertificatePair;
import org.locomov.tls.DeviceCredentials;
import org.locomov.tls.KeyType;
import org.locomov.tls.testing.TestCertificates;

/** The plain CoAP lab port ({@code --coap-insecure-port}): only a request with its device's token is taken. */
class PlainCoapTest {

    @TempDir
    Path work;

    private Database database;
    private CoapUnderTest coap;
    private DeviceCredentials device;
    private CoapEndpoint endpoint;

    @BeforeEach
    void start() {
        database = TestDatabase.fresh();
        coap = new CoapUnderTest(database, work, CoapSettings.loopbackDefaults().withInsecurePort(0), IngestSettings.DEFAULTS,
                new CertificatePair(TestCertificates.shared().rsaServer(), TestCertificates.shared().ecServer()), false);
        device = coap.device(7, KeyType.EC);
        endpoint = CoapEndpoint.builder().build();
    }

    @AfterEach
    void stop() {
        endpoint.destroy();
        coap.close();
        database.close();
    }

    private CoapResponse post(String query) throws Exception {
        CoapClient client = new CoapClient(coap.uri("/readings") + query);
        client.setEndpoint(endpoint);
        try {
            return client.post("{\"voltage\":230.5}", MediaTypeRegistry.APPLICATION_JSON);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void readingWithTheDeviceTokenIsStored() throws Exception {
        CoapResponse response = post("?token=" + device.token());

        assertThat(response.getCode()).isEqualTo(ResponseCode.CREATED);
        assertThat(coap.packetsOf(7)).isEqualTo(1);
    }

    @Test
    void readingWithoutTokenGets401AndNothingIsStored() throws Exception {
        CoapResponse response = post("");

        assertThat(response.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
        assertThat(response.getResponseText()).contains("?token=");
        assertThat(coap.refused("bad_credentials")).isEqualTo(1);
        assertThat(coap.packets()).isZero();
    }

    @Test
    void readingWithAWrongTokenGets401AndNothingIsStored() throws Exception {
        CoapResponse response = post("?token=lmd_not-the-token-of-device-7");

        assertThat(response.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
        assertThat(coap.packets()).isZero();
    }
}
