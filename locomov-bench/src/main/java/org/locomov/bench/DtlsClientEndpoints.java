package org.locomov.bench;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;
import org.locomov.tls.DeviceCredentials;

/**
 * A simulated CoAP device's own DTLS 1.2 client endpoint on 127.0.0.1 (one per device, so that each has its own
 * session): PSK with {@value #PSK_SUITE_NAME}, or ECDHE-ECDSA with the device's certificate.
 */
final class DtlsClientEndpoints {

    static final CipherSuite PSK_SUITE = CipherSuite.TLS_PSK_WITH_AES_128_CCM_8;
    static final String PSK_SUITE_NAME = "TLS_PSK_WITH_AES_128_CCM_8";
    static final CipherSuite ECDSA_SUITE = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8;

    static {
        CoapConfig.register();
        UdpConfig.register();
        DtlsConfig.register();
    }

    private DtlsClientEndpoints() {
    }

    /** Californium's settings modules, registered once before any Configuration is made. */
    static void register() {
        // the static initialiser does it
    }

    static CoapEndpoint psk(DtlsPsk key) {
        Configuration config = clientConfiguration(PSK_SUITE);
        DtlsConnectorConfig.Builder dtls = DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setAdvancedPskStore(new AdvancedSinglePskStore(key.identity(), key.key()));
        return new CoapEndpoint.Builder().setConfiguration(config).setConnector(new DTLSConnector(dtls.build())).build();
    }

    static CoapEndpoint ecdsa(DeviceCredentials device, X509Certificate trusted) {
        Configuration config = clientConfiguration(ECDSA_SUITE);
        DtlsConnectorConfig.Builder dtls = DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setCertificateIdentityProvider(new SingleCertificateProvider(device.key(),
                        new X509Certificate[] {device.certificate()}))
                .setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder()
                        .setTrustedCertificates(trusted).build());
        return new CoapEndpoint.Builder().setConfiguration(config).setConnector(new DTLSConnector(dtls.build())).build();
    }

    private static Configuration clientConfiguration(CipherSuite suite) {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(DtlsConfig.DTLS_ROLE, DtlsRole.CLIENT_ONLY);
        config.set(DtlsConfig.DTLS_CONNECTION_ID_LENGTH, 0);  // uses the server's CID, offers none of its own
        config.set(DtlsConfig.DTLS_CERTIFICATE_TYPES, List.of(CertificateType.X_509));
        config.set(DtlsConfig.DTLS_CIPHER_SUITES, List.of(suite));
        return config;
    }
}
