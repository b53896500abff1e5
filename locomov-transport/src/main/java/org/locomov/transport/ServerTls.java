package org.locomov.transport;

import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import org.locomov.tls.CertificateListener;
import org.locomov.tls.CertificatePair;
import org.locomov.tls.CipherProfile;
import org.locomov.tls.ClientCertificates;
import org.locomov.tls.JdkLegacySuites;
import org.locomov.tls.KeyType;
import org.locomov.tls.PemFiles;
import org.locomov.tls.ServerCertificate;
import org.locomov.tls.TlsLibrary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * TLS for one listener: what the listener puts first in its pipeline. It holds an RSA and, optionally, an
 * EC (ECDSA) certificate, each in its own Netty {@link SslContext}, and {@link #newHandler()} gives each
 * connection a handler that reads the client hello and continues with the context the client can use:
 * EC when it speaks TLS 1.3 or offers an ECDHE_ECDSA suite, RSA otherwise (so an RSA-only TLS 1.2 client
 * such as the CC3220S gets the RSA certificate). Two contexts, rather than one holding both keys, because
 * BoringSSL would serve the EC certificate to RSA-only TLS 1.2 clients.
 *
 * <p>Plaintext sent to the TLS port surfaces in the listener's pipeline as an {@code exceptionCaught} with
 * an unwrapped {@link io.netty.handler.ssl.NotSslRecordException}; the TLS handler has then left the
 * pipeline, so the listener can write a plain-text reply and close. A client that sends no hello within the
 * handshake timeout gets an {@link io.netty.handler.ssl.SslHandshakeTimeoutException} and is closed.
 *
 * <p>It is a {@link CertificateListener}: register it with the certificate source and renewed certificates
 * reach new handshakes without a restart. Client certificates are checked against the CAs of
 * {@link ClientCertificates}; {@link #replaceClientTrust} swaps them when an operator CA is registered.
 *
 * <p>Thread-safety: safe for use from any thread. The contexts sit behind an {@link AtomicReference}:
 * {@link #replaceCertificates} and {@link #replaceClientTrust} (any thread, serialised by this object's
 * lock) swap them, event loops read them once per new connection, so new handshakes see the change while
 * open connections keep what they had.
 */
public final class ServerTls implements CertificateListener {

    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);
    /**
     * Bytes of the buffer every OpenSSL connection keeps, for its whole life, for the TLS records BoringSSL
     * writes while it reads (the server's handshake flight, alerts). Netty's default of 2 KB is a fifth of an
     * idle connection's memory; a flight that does not fit waits inside BoringSSL and leaves with the next
     * wrap, so a small buffer costs nothing but a loop turn in the handshake (decision 1512).
     */
    static final int NON_APPLICATION_BUFFER_BYTES = 256;

    private final String listenerName;
    private final CipherProfile profile;
    private final SslProvider provider;
    private final Duration handshakeTimeout;
    private final AtomicReference<Contexts> contexts = new AtomicReference<>();

    /**
     * The certificates and client-certificate CAs in service and their contexts; {@code ec} and {@code ecContext}
     * are null without an EC certificate.
     */
    private record Contexts(ServerCertificate rsa, ServerCertificate ec, ClientCertificates clients,
                            SslContext rsaContext, SslContext ecContext) {
    }

    private ServerTls(String listenerName, CipherProfile profile, SslProvider provider, Duration handshakeTimeout) {
        this.listenerName = listenerName;
        this.profile = profile;
        this.provider = provider;
        this.handshakeTimeout = handshakeTimeout;
    }

    /**
     * TLS for the listener {@code listenerName} with Netty's preferred provider: OpenSSL (BoringSSL) when
     * available, else the JDK's.
     *
     * @param rsa              the RSA certificate (required: RSA-only devices need it)
     * @param ecOrNull         the ECDSA certificate, or {@code null} to serve RSA to everyone
     * @param handshakeTimeout how long a client has from connecting to a finished handshake
     * @throws SSLException when the provider cannot build a context or lacks a suite the profile needs
     */
    public static ServerTls create(ServerCertificate rsa, ServerCertificate ecOrNull, CipherProfile profile,
                                   Duration handshakeTimeout, String listenerName) throws SSLException {
        return create(rsa, ecOrNull, profile, handshakeTimeout, listenerName, defaultProvider());
    }

    /** As {@link #create(ServerCertificate, ServerCertificate, CipherProfile, Duration, String)}, asking for client certificates. */
    public static ServerTls create(ServerCertificate rsa, ServerCertificate ecOrNull, CipherProfile profile,
                                   Duration handshakeTimeout, String listenerName,
                                   ClientCertificates clientCertificates) throws SSLException {
        return create(rsa, ecOrNull, profile, handshakeTimeout, listenerName, defaultProvider(), clientCertificates);
    }

    /** As {@link #create(ServerCertificate, ServerCertificate, CipherProfile, Duration, String)} with a chosen provider. */
    public static ServerTls create(ServerCertificate rsa, ServerCertificate ecOrNull, CipherProfile profile,
                                   Duration handshakeTimeout, String listenerName, SslProvider provider)
            throws SSLException {
        return create(rsa, ecOrNull, profile, handshakeTimeout, listenerName, provider, ClientCertificates.none());
    }

    /**
     * As {@link #create(ServerCertificate, ServerCertificate, CipherProfile, Duration, String, SslProvider)},
     * asking clients for certificates as {@code clientCertificates} says (they survive certificate replacement).
     */
    public static ServerTls create(ServerCertificate rsa, ServerCertificate ecOrNull, CipherProfile profile,
                                   Duration handshakeTimeout, String listenerName, SslProvider provider,
                                   ClientCertificates clientCertificates)
            throws SSLException {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(clientCertificates, "clientCertificates");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (listenerName == null || listenerName.isBlank()) {
            throw new IllegalArgumentException("listenerName must name the listener, for the logs");
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException(listenerName + ": the TLS handshake timeout must be positive, was "
                    + handshakeTimeout);
        }
        ServerTls tls = new ServerTls(listenerName, profile, provider, handshakeTimeout);
        if (!profile.legacySuites().isEmpty()) {
            log.info("{}: cipher profile {} enables, besides the modern suites, {}: {}",
                    listenerName, profile, String.join(", ", profile.legacySuites()), profile.whyLegacy());
        }
        if (provider == SslProvider.JDK && profile.needsRsaKeyExchange()) {
            JdkLegacySuites.allowRsaKeyExchange("listener " + listenerName + " (cipher profile " + profile + ")");
        }
        tls.contexts.set(tls.buildContexts(rsa, ecOrNull, clientCertificates));
        log.info("{}", tls.describe());
        return tls;
    }

    /**
     * The provider of the process's {@link TlsLibrary} ({@code serve --tls-provider}; when nothing chose one yet,
     * {@code auto}: BoringSSL, else the system's OpenSSL, else the JDK's).
     */
    public static SslProvider defaultProvider() {
        return TlsLibrary.current().nettyProvider();
    }

    /** A new handler for one connection; put it first in the pipeline. It replaces itself with an {@code SslHandler}. */
    public ChannelHandler newHandler() {
        return new ClientHelloRouter(this::contextFor, handshakeTimeout.toNanos());
    }

    /**
     * Serves new certificates to new handshakes from now on; connections already open keep theirs.
     *
     * @throws SSLException when the new certificates cannot be used; the old ones then stay in service
     */
    public synchronized void replaceCertificates(ServerCertificate rsa, ServerCertificate ecOrNull) throws SSLException {
        contexts.set(buildContexts(rsa, ecOrNull, contexts.get().clients()));
        log.info("{}: certificates replaced; new handshakes get {}", listenerName, describeCertificates(contexts.get()));
    }

    @Override
    public void certificatesChanged(CertificatePair certificates) throws SSLException {
        replaceCertificates(certificates.rsa(), certificates.ecOrNull());
    }

    /**
     * Accepts client certificates from {@code anchors} in new handshakes from now on (a listener that asks for
     * none ignores this).
     *
     * @throws SSLException when a context cannot be built with them; the old CAs then stay in service
     */
    public synchronized void replaceClientTrust(List<X509Certificate> anchors) throws SSLException {
        Contexts current = contexts.get();
        if (!current.clients().asked()) {
            return;
        }
        contexts.set(buildContexts(current.rsa(), current.ec(), current.clients().withAnchors(anchors)));
        log.info("{}: client certificates now accepted from {}", listenerName,
                anchors.stream().map(PemFiles::subject).toList());
    }

    /** One line for logs: profile, provider, protocols, suites per key type, and the certificates. */
    public String describe() {
        Contexts current = contexts.get();
        StringBuilder line = new StringBuilder()
                .append(listenerName).append(": TLS profile ").append(profile)
                .append(" via ").append(provider).append(" (").append(library()).append(")")
                .append(", protocols ").append(String.join(", ", profile.protocols()))
                .append("; RSA suites ").append(String.join(" ", current.rsaContext().cipherSuites()));
        if (current.ecContext() != null) {
            line.append("; EC suites ").append(String.join(" ", current.ecContext().cipherSuites()));
        }
        if (current.clients().asked()) {
            line.append("; client certificates ").append(current.clients().mode()).append(" from ")
                    .append(current.clients().anchors().stream().map(PemFiles::subject).toList());
        }
        return line.append("; ").append(describeCertificates(current)).toString();
    }

    public CipherProfile profile() {
        return profile;
    }

    public SslProvider provider() {
        return provider;
    }

    /** Whether and whose client certificates this listener asks for now. */
    public ClientCertificates clientCertificates() {
        return contexts.get().clients();
    }

    /** The RSA certificate new handshakes get. */
    public ServerCertificate rsaCertificate() {
        return contexts.get().rsa();
    }

    /** The EC certificate new handshakes get, or {@code null} when only RSA is served. */
    public ServerCertificate ecCertificateOrNull() {
        return contexts.get().ec();
    }

    /** Runs on event loops, once per new connection. */
    private SslContext contextFor(ClientHelloSummary hello) {
        Contexts current = contexts.get();
        return current.ecContext() != null && hello.canUseEcdsa(profile) ? current.ecContext() : current.rsaContext();
    }

    private Contexts buildContexts(ServerCertificate rsa, ServerCertificate ecOrNull, ClientCertificates clients)
            throws SSLException {
        Objects.requireNonNull(rsa, "rsa");
        if (rsa.keyType() != KeyType.RSA) {
            throw new IllegalArgumentException(listenerName + ": the RSA certificate holds an " + rsa.keyType() + " key");
        }
        if (ecOrNull != null && ecOrNull.keyType() != KeyType.EC) {
            throw new IllegalArgumentException(listenerName + ": the EC certificate holds an " + ecOrNull.keyType() + " key");
        }
        SslContext rsaContext = buildContext(rsa, clients);
        SslContext ecContext = ecOrNull == null ? null : buildContext(ecOrNull, clients);
        return new Contexts(rsa, ecOrNull, clients, rsaContext, ecContext);
    }

    private SslContext buildContext(ServerCertificate certificate, ClientCertificates clients) throws SSLException {
        List<String> wanted = profile.cipherSuites(certificate.keyType());
        SslContextBuilder builder = SslContextBuilder
                .forServer(certificate.key(), certificate.chain().toArray(X509Certificate[]::new))
                .sslProvider(provider)
                .protocols(profile.protocols())
                .ciphers(wanted, SupportedCipherSuiteFilter.INSTANCE)
                .clientAuth(clients.mode().netty());
        if (clients.asked()) {
            builder.trustManager(clients.anchors().toArray(X509Certificate[]::new));
        }
        SslContext context = builder.build();
        if (context instanceof ReferenceCountedOpenSslContext openSsl) {
            openSsl.setBioNonApplicationBufferSize(NON_APPLICATION_BUFFER_BYTES);
        }
        withoutSessionIdCache(context);
        List<String> missing = wanted.stream().filter(s -> !context.cipherSuites().contains(s)).toList();
        List<String> missingLegacy = missing.stream().filter(profile.legacySuites()::contains).toList();
        if (!missingLegacy.isEmpty() && certificate.keyType() == KeyType.RSA) {
            throw new SSLException(listenerName + ": the " + provider + " TLS provider refuses " + missingLegacy
                    + ", which cipher profile " + profile + " exists for"
                    + (provider == SslProvider.JDK
                    ? "; the JDK still disables them (jdk.tls.disabledAlgorithms = "
                    + java.security.Security.getProperty(JdkLegacySuites.PROPERTY) + "). The JDK reads that"
                    + " property once per process: create ServerTls before any other TLS use, or use OpenSSL"
                    : ""));
        }
        if (!missing.isEmpty()) {
            log.warn("{}: the {} TLS provider does not support {}; serving {} with the others",
                    listenerName, provider, missing, certificate.keyType());
        }
        return context;
    }

    /** Which library serves: with OPENSSL, the native one this process loaded (system OpenSSL or BoringSSL). */
    private String library() {
        return provider == SslProvider.JDK ? "JDK SunJSSE" : OpenSsl.versionString();
    }

    /**
     * No server-side session cache for the native providers (decision 1521): the CC3220S never resumes, and
     * storing every full handshake's session cost about a tenth of the server's CPU per handshake
     * ({@code HandshakeCost}). Clients that do resume still can, with session tickets, which keep no state here.
     */
    private static void withoutSessionIdCache(SslContext context) {
        if (context.sessionContext() instanceof OpenSslSessionContext openssl) {
            openssl.setSessionCacheEnabled(false);
        }
    }

    private static String describeCertificates(Contexts current) {
        return "certificates: " + current.rsa().describe()
                + (current.ec() == null ? "" : "; " + current.ec().describe());
    }
}
