package org.locomov.coap;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.CertificateAuthenticationMode;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.locomov.core.DevicePlane;
import org.locomov.core.listener.Listener;
import org.locomov.tls.CertificateSource;
import org.locomov.transport.ListenerEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CoAP listener: a Californium server with one endpoint, CoAP over DTLS 1.2 (PSK, ECDHE-PSK and
 * ECDHE-ECDSA with client certificates, Connection ID on) or, for labs, plain CoAP where a request carries its
 * device's token. Resources: {@code /readings}, {@code /gpsflowtemp}, {@code /events/{name}}.
 *
 * <p>Lifecycle as {@link Listener}: created, {@link #start}ed and {@link #close}d by the server's thread.
 */
public final class CoapListener implements Listener {

    private static final Logger log = LoggerFactory.getLogger(CoapListener.class);
    /** Connection ID length: 6 bytes tell a million sessions apart with room to spare (RFC 9146). */
    static final int CONNECTION_ID_BYTES = 6;

    static {
        CoapConfig.register();
        UdpConfig.register();
        DtlsConfig.register();
    }

    private final String name;
    private final CoapSettings settings;
    private final boolean secure;
    private final CoapEndpoint coapEndpoint;
    /** The suites the DTLS endpoint offers (for the start-up line); empty for plain CoAP. */
    private final List<CipherSuite> enabledSuites;
    private final CoapServer server;
    private final InFlight inFlight = new InFlight();
    private volatile boolean started;

    /**
     * @param secure true: the DTLS endpoint on {@link CoapSettings#port()}; false: plain CoAP on
     *               {@link CoapSettings#insecurePort()}
     */
    public CoapListener(String name, CoapSettings settings, boolean secure, DevicePlane plane,
            CertificateSource certificates, ListenerEvents events) {
        this.name = Objects.requireNonNull(name, "name");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.secure = secure;
        Configuration config = configuration(settings);
        InetSocketAddress address = new InetSocketAddress(settings.bindAddress(),
                secure ? settings.port() : settings.insecurePort());
        if (secure) {
            HandshakeLog handshakes = new HandshakeLog(events);
            DtlsConnectorConfig.Builder dtls = DtlsConnectorConfig.builder(config)
                    .setAddress(address)
                    .setLoggingTag(name)
                    .setAdvancedPskStore(new DevicePskStore(plane.identity(), handshakes))
                    .setApplicationLevelInfoSupplier(new DeviceOfRequest())
                    .setSessionListener(handshakes);
            if (ServerCertificates.hasEc(certificates.current())) {
                dtls.setCertificateIdentityProvider(new ServerCertificates(name, certificates))
                        .setAdvancedCertificateVerifier(new DeviceCertificateVerifier(plane.identity()));
            } else {
                List<CipherSuite> pskOnly = settings.cipherSuites().stream().filter(CipherSuite::isPskBased).toList();
                if (pskOnly.isEmpty()) {
                    throw new IllegalStateException(name + ": the server certificates hold no EC certificate, which "
                            + "the ECDHE-ECDSA suites need, and --coap-cipher-suites names no PSK suite");
                }
                log.warn("{}: the server certificates hold no EC certificate ({}); DTLS offers PSK suites only: {}",
                        name, certificates.current().describe(), pskOnly);
                config.set(DtlsConfig.DTLS_CIPHER_SUITES, pskOnly);
                config.set(DtlsConfig.DTLS_CLIENT_AUTHENTICATION_MODE, CertificateAuthenticationMode.NONE);
            }
            coapEndpoint = new CoapEndpoint.Builder().setConfiguration(config).setConnector(new DTLSConnector(dtls.build()))
                    .setEndpointContextMatcher(new SessionIdentity()).build();
            enabledSuites = List.copyOf(config.get(DtlsConfig.DTLS_CIPHER_SUITES));
        } else {
            coapEndpoint = new CoapEndpoint.Builder().setConfiguration(config).setInetSocketAddress(address).build();
            enabledSuites = List.of();
        }
        coapEndpoint.addInterceptor(new BlockTransferRefusals(events));
        server = new CoapServer(config);
        server.addEndpoint(coapEndpoint);
        CoapContext context = new CoapContext(plane, new RequestDevice(plane.identity()), events,
                settings.maxRequestBytes(), inFlight, Clock.systemUTC());
        server.add(new ReadingsResource("readings", context), new ReadingsResource("gpsflowtemp", context),
                new EventsResource(context));
        CommandsResource commands = new CommandsResource(name, context);
        server.add(commands, new FirmwareResource(context, commands));
    }

    /** Californium's and Scandium's settings from ours; everything else stays at their defaults. */
    static Configuration configuration(CoapSettings settings) {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, settings.maxRequestBytes());
        config.set(DtlsConfig.DTLS_ROLE, DtlsRole.SERVER_ONLY);
        config.set(DtlsConfig.DTLS_CONNECTION_ID_LENGTH, CONNECTION_ID_BYTES);
        config.set(DtlsConfig.DTLS_MAX_CONNECTIONS, settings.maxSessions());
        config.set(DtlsConfig.DTLS_MAX_PENDING_HANDSHAKE_RESULT_JOBS, settings.maxHandshakes());
        config.set(DtlsConfig.DTLS_STALE_CONNECTION_THRESHOLD, settings.idleTimeout().toSeconds(), TimeUnit.SECONDS);
        config.set(DtlsConfig.DTLS_MAX_RETRANSMISSION_TIMEOUT, settings.handshakeTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        config.set(DtlsConfig.DTLS_CLIENT_AUTHENTICATION_MODE, CertificateAuthenticationMode.NEEDED);
        config.set(DtlsConfig.DTLS_CERTIFICATE_TYPES, List.of(CertificateType.X_509));
        config.set(DtlsConfig.DTLS_CIPHER_SUITES, settings.cipherSuites());
        config.set(DtlsConfig.DTLS_RECOMMENDED_CIPHER_SUITES_ONLY, false);
        return config;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Listener.Endpoint endpoint() {
        return endpointOf(settings, secure);
    }

    static Listener.Endpoint endpointOf(CoapSettings settings, boolean secure) {
        return secure
                ? new Listener.Endpoint("udp", settings.bindAddress(), settings.port(), "DTLS 1.2 PSK, X.509", true)
                : new Listener.Endpoint("udp", settings.bindAddress(), settings.insecurePort(), "plain CoAP, token", false);
    }

    @Override
    public void start() {
        try {
            server.start();
        } catch (IllegalStateException e) {
            throw new IllegalStateException(name + " cannot listen on udp " + settings.bindAddress() + ":"
                    + (secure ? settings.port() : settings.insecurePort()) + ": " + e.getMessage(), e);
        }
        started = true;
        if (secure) {
            log.info("{} listening on udp {}: DTLS 1.2, Connection ID {} bytes, suites {}", name,
                    coapEndpoint.getAddress(), CONNECTION_ID_BYTES, enabledSuites);
        } else {
            log.warn("{} listening on udp {}: PLAIN CoAP without DTLS; requests must carry ?token= (labs only)",
                    name, coapEndpoint.getAddress());
        }
    }

    @Override
    public int port() {
        return coapEndpoint.getAddress().getPort();
    }

    @Override
    public void close() {
        if (!started) {
            server.destroy();
            return;
        }
        started = false;
        if (!inFlight.close(settings.drainTimeout())) {
            log.warn("{}: requests still being stored after {}; closing anyway (they are not acknowledged)", name,
                    settings.drainTimeout());
        }
        server.destroy();
    }
}
