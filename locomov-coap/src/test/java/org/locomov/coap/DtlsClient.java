package org.locomov.coap;

import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;
import org.locomov.tls.DeviceCredentials;
import org.locomov.tls.testing.TestCertificates;

/**
 * A device as the tests play it: Californium's client over Scandium, with a PSK or with its client certificate,
 * trusting the test CA, offering Connection ID support (it uses the server's CID), retransmitting after 500 ms.
 * One DTLS session per client, kept until {@link #close}.
 */
final class DtlsClient implements AutoCloseable {

    static {
        CoapConfig.register();
        DtlsConfig.register();
    }

    private final CoapEndpoint endpoint;
    private final String base;

    private DtlsClient(String base, DtlsConnectorConfig.Builder dtls, Configuration config) {
        this.base = base;
        this.endpoint = new CoapEndpoint.Builder().setConfiguration(config)
                .setConnector(new DTLSConnector(dtls.build())).build();
    }

    static Configuration configuration() {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(DtlsConfig.DTLS_ROLE, DtlsRole.CLIENT_ONLY);
        config.set(DtlsConfig.DTLS_CONNECTION_ID_LENGTH, 0);
        config.set(CoapConfig.ACK_TIMEOUT, 500, TimeUnit.MILLISECONDS);
        config.set(CoapConfig.ACK_INIT_RANDOM, 1f);
        config.set(CoapConfig.MAX_RETRANSMIT, 8);
        config.set(CoapConfig.PREFERRED_BLOCK_SIZE, 512);
        config.set(CoapConfig.MAX_MESSAGE_SIZE, 512);
        config.set(DtlsConfig.DTLS_CERTIFICATE_TYPES, List.of(CertificateType.X_509));
        return config;
    }

    /** A PSK client; {@code server} is where it sends (the listener, or a relay in front of it). */
    static DtlsClient psk(InetSocketAddress server, String identity, byte[] key) {
        Configuration config = configuration();
        return new DtlsClient(base(server), DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setAdvancedPskStore(new AdvancedSinglePskStore(identity, key)), config);
    }

    static DtlsClient psk(InetSocketAddress server, DeviceCredentials device) {
        return psk(server, device.pskIdentity(), device.psk());
    }

    /** A client with its device certificate, checking the server's chain against the test CA. */
    static DtlsClient x509(InetSocketAddress server, DeviceCredentials device) {
        Configuration config = configuration();
        return new DtlsClient(base(server), DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setCertificateIdentityProvider(new SingleCertificateProvider(device.key(),
                        new X509Certificate[] {device.certificate()}))
                .setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder()
                        .setTrustedCertificates(TestCertificates.shared().caCertificate()).build()), config);
    }

    private static String base(InetSocketAddress server) {
        return "coaps://" + server.getHostString() + ":" + server.getPort();
    }

    /** POSTs {@code body} to {@code path} with Content-Format {@code format}; null when no response came. */
    CoapResponse post(String path, byte[] body, int format) {
        CoapClient client = new CoapClient(base + path);
        client.setEndpoint(endpoint);
        client.setTimeout(20_000L);
        try {
            return client.post(body, format);
        } catch (Exception e) {
            return null;
        } finally {
            client.shutdown();
        }
    }

    /**
     * Observes {@code path}; every notification (the first response too) goes to {@code notifications}. Returns once
     * the first response has reached {@code notifications}.
     */
    CoapObserveRelation observe(String path, java.util.function.Consumer<CoapResponse> notifications) {
        CoapClient client = new CoapClient(base + path);
        client.setEndpoint(endpoint);
        client.setTimeout(20_000L);
        AtomicBoolean firstDelivered = new AtomicBoolean();
        CoapObserveRelation relation;
        try {
            relation = client.observeAndWait(new CoapHandler() {
                @Override
                public void onLoad(CoapResponse response) {
                    notifications.accept(response);
                    firstDelivered.set(true);
                }

                @Override
                public void onError() {
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("observe " + path + " failed", e);
        }
        // observeAndWait returns once the relation holds the first response (waiting at most 2 s for that), but
        // hands it to the handler on another thread: without this wait the test could look before it arrived.
        if (!relation.isCanceled()) {
            await().atMost(Duration.ofSeconds(10)).untilTrue(firstDelivered);
        }
        return relation;
    }

    /** GETs {@code path} (block-wise when the response is large); null when no response came. */
    CoapResponse get(String path) {
        CoapClient client = new CoapClient(base + path);
        client.setEndpoint(endpoint);
        client.setTimeout(20_000L);
        try {
            return client.get();
        } catch (Exception e) {
            return null;
        } finally {
            client.shutdown();
        }
    }

    CoapResponse post(String path, String json) {
        return post(path, json.getBytes(StandardCharsets.UTF_8), 50);
    }

    /** POSTs JSON as a confirmable request with message id {@code mid}; null when no response came. */
    CoapResponse postWithMessageId(String path, String json, int mid) {
        CoapClient client = new CoapClient(base + path);
        client.setEndpoint(endpoint);
        client.setTimeout(20_000L);
        Request request = Request.newPost();
        request.setMID(mid);
        request.setPayload(json);
        request.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
        try {
            return client.advanced(request);
        } catch (Exception e) {
            return null;
        } finally {
            client.shutdown();
        }
    }

    @Override
    public void close() {
        endpoint.destroy();
    }
}
