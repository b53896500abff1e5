package org.locomov.bench;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The TLS client a CC3220S is: TLS 1.2 only, the single suite {@code TLS_RSA_WITH_AES_256_CBC_SHA}, the
 * chain checked against the one root file it holds, and no session resumption (the firmware does a full
 * handshake on every connection). Uses the OpenSSL provider (BoringSSL from netty-tcnative), because the
 * JDK 24+ provider disables {@code TLS_RSA_*} and because the generator should not be slower than the server.
 */
public final class DeviceTls {

    public static final String PROTOCOL = "TLSv1.2";
    public static final String CIPHER_SUITE = "TLS_RSA_WITH_AES_256_CBC_SHA";
    /** What a CC3200 offers first over MQTT; the MQTT phase uses it against locomov and Mosquitto alike. */
    public static final String CC3200_MQTT_CIPHER_SUITE = "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA";

    private DeviceTls() {
    }

    /**
     * A client context trusting {@code caCertificate}. Handlers made from it with
     * {@code newHandler(alloc)} (no peer host) never resume a session: OpenSSL's client session cache
     * is keyed by peer host and port, and without them nothing is cached.
     */
    public static SslContext cc3220s(Path caCertificate) throws SSLException {
        return client(caCertificate, CIPHER_SUITE);
    }

    /** The TLS client of a CC3200 speaking MQTT: TLS 1.2, {@value #CC3200_MQTT_CIPHER_SUITE} only. */
    public static SslContext cc3200Mqtt(Path caCertificate) throws SSLException {
        return client(caCertificate, CC3200_MQTT_CIPHER_SUITE);
    }

    private static SslContext client(Path caCertificate, String cipherSuite) throws SSLException {
        if (!OpenSsl.isAvailable()) {
            throw new SSLException("netty-tcnative (OpenSSL) is not available on this platform: "
                    + OpenSsl.unavailabilityCause());
        }
        if (!Files.isReadable(caCertificate)) {
            throw new SSLException("CA certificate file is not readable: " + caCertificate);
        }
        return SslContextBuilder.forClient()
                .sslProvider(SslProvider.OPENSSL)
                .protocols(PROTOCOL)
                .ciphers(List.of(cipherSuite))
                .trustManager(caCertificate.toFile())
                // The device checks the chain against its root, not the host name it dialled.
                .endpointIdentificationAlgorithm(null)
                .build();
    }
}
