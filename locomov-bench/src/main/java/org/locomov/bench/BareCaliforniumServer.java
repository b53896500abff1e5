package org.locomov.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;
import org.eclipse.californium.elements.config.CertificateAuthenticationMode;
import org.locomov.coap.CoapSettings;

/**
 * The yardstick of the CoAP phase: Californium and Scandium with the settings locomov's {@code coap} listener
 * has in the bench (DTLS 1.2 server, Connection ID of 6 bytes, the PSK suites of its default list, as a listener
 * whose certificate source holds no EC certificate offers, no client certificates, the same session limit and
 * body limit), and one resource {@code /readings} that answers every POST with 2.01 Created, storing nothing.
 * Its keys are in memory (Scandium's {@link AdvancedMultiPskStore}), where locomov looks each one up in
 * PostgreSQL at the handshake.
 *
 * <p>Run as its own process by {@link CaliforniumProcess}, so its CPU and memory are counted as the locomov
 * server's are: {@code java -cp locomov-bench.jar org.locomov.bench.BareCaliforniumServer KEY_FILE}, where each
 * line of KEY_FILE is {@code IDENTITY<TAB>HEX}. Prints {@value #READY} and the port once it listens on
 * 127.0.0.1, and runs until stopped (SIGTERM) or its standard input closes.
 */
public final class BareCaliforniumServer {

    static final String READY = "bare Californium listening on 127.0.0.1:";
    /** locomov's {@code CoapListener.CONNECTION_ID_BYTES}. */
    static final int CONNECTION_ID_BYTES = 6;

    private BareCaliforniumServer() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: BareCaliforniumServer KEY_FILE   (lines IDENTITY<TAB>HEX)");
            System.exit(64);
        }
        List<DtlsPsk> keys = Files.readAllLines(Path.of(args[0]), StandardCharsets.US_ASCII).stream()
                .filter(line -> !line.isBlank()).map(DtlsPsk::parse).toList();
        CoapServer server = start(keys);
        Runtime.getRuntime().addShutdownHook(new Thread(server::destroy, "bare-californium-stop"));
        System.out.println(READY + server.getEndpoints().getFirst().getAddress().getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // runs until the parent closes our standard input or stops us
        }
        server.destroy();
    }

    /** Starts the server on 127.0.0.1 and a free port, knowing {@code keys}. */
    static CoapServer start(List<DtlsPsk> keys) {
        DtlsClientEndpoints.register();
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, CoapSettings.DEFAULT_MAX_REQUEST_BYTES);
        config.set(DtlsConfig.DTLS_ROLE, DtlsRole.SERVER_ONLY);
        config.set(DtlsConfig.DTLS_CONNECTION_ID_LENGTH, CONNECTION_ID_BYTES);
        config.set(DtlsConfig.DTLS_MAX_CONNECTIONS, CoapSettings.DEFAULT_MAX_SESSIONS);
        config.set(DtlsConfig.DTLS_MAX_PENDING_HANDSHAKE_RESULT_JOBS, CoapSettings.DEFAULT_MAX_HANDSHAKES);
        config.set(DtlsConfig.DTLS_CLIENT_AUTHENTICATION_MODE, CertificateAuthenticationMode.NONE);
        config.set(DtlsConfig.DTLS_CERTIFICATE_TYPES, List.of(CertificateType.X_509));
        config.set(DtlsConfig.DTLS_CIPHER_SUITES, CoapSettings.parseCipherSuites(
                CoapSettings.DEFAULT_CIPHER_SUITES.split(",")).stream().filter(CipherSuite::isPskBased).toList());
        config.set(DtlsConfig.DTLS_RECOMMENDED_CIPHER_SUITES_ONLY, false);
        AdvancedMultiPskStore store = new AdvancedMultiPskStore();
        keys.forEach(key -> store.setKey(key.identity(), key.key()));
        DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress("127.0.0.1", 0)).setAdvancedPskStore(store).build();
        CoapServer server = new CoapServer(config);
        server.addEndpoint(new CoapEndpoint.Builder().setConfiguration(config).setConnector(new DTLSConnector(dtls))
                .build());
        server.add(new CoapResource("readings") {
            @Override
            public void handlePOST(CoapExchange exchange) {
                exchange.respond(ResponseCode.CREATED);
            }
        });
        server.start();
        return server;
    }
}
