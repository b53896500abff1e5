package org.locomov.bench;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.ReferenceCountUtil;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.locomov.tls.CipherProfile;
import org.locomov.tls.DevelopmentCa;
import org.locomov.tls.JdkLegacySuites;
import org.locomov.tls.KeyType;
import org.locomov.tls.ServerCertificate;
import org.locomov.tls.TlsLibrary;
import org.locomov.tls.TlsProvider;

/**
 * Server CPU per CC3220S handshake (TLS 1.2, TLS_RSA_WITH_AES_256_CBC_SHA, RSA-2048, no resumption) for one TLS
 * provider, in memory: a client engine and a server engine built as {@code ServerTls} builds its RSA context (cc32xx
 * profile) hand records to each other on one thread, and only the server engine's calls are timed, in thread CPU
 * time. No sockets, no scheduler, no generator on the same cores: the figure hardly depends on the machine's load,
 * unlike the bench's rates. The provider is per process (netty-tcnative binds one native library), so run it once
 * per provider:
 *
 * <pre>java -cp locomov-bench/target/locomov-bench.jar org.locomov.bench.HandshakeCost boringssl 3000</pre>
 */
public final class HandshakeCost {

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private HandshakeCost() {
    }

    public static void main(String[] args) throws Exception {
        TlsProvider asked = TlsProvider.parse(args.length > 0 ? args[0] : "auto");
        int handshakes = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        TlsLibrary library = TlsLibrary.select(asked);
        if (library.nettyProvider() == SslProvider.JDK) {
            JdkLegacySuites.allowRsaKeyExchange("HandshakeCost");
        }
        Path dir = Files.createTempDirectory("locomov-handshake-cost");
        DevelopmentCa ca = DevelopmentCa.openOrCreate(dir, java.util.List.of("localhost"), java.util.List.of("127.0.0.1"));
        ServerCertificate rsa = ca.rsaServer();
        CipherProfile profile = CipherProfile.CC32XX;
        SslContext server = SslContextBuilder
                .forServer(rsa.key(), rsa.chain().toArray(X509Certificate[]::new))
                .sslProvider(library.nettyProvider())
                .protocols(profile.protocols())
                .ciphers(profile.cipherSuites(KeyType.RSA), SupportedCipherSuiteFilter.INSTANCE)
                .build();
        SslContext client = DeviceTls.cc3220s(ca.caCertificateFile());
        // A/B switch for the server's session cache (on by default in Netty's OpenSSL contexts); a CC3220S never
        // resumes, so a cached session is work without use.
        boolean sessionCache = !Boolean.getBoolean("locomov.bench.noSessionCache");
        if (!sessionCache) {
            server.sessionContext().setSessionCacheSize(1);
            if (server.sessionContext() instanceof io.netty.handler.ssl.OpenSslSessionContext openssl) {
                openssl.setSessionCacheEnabled(false);
            }
        }

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int warmUp = Math.max(200, handshakes / 4);
        for (int i = 0; i < warmUp; i++) {
            handshake(client, server, threads);
        }
        long[] serverNanos = new long[handshakes];
        long allStart = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < handshakes; i++) {
            serverNanos[i] = handshake(client, server, threads);
        }
        long allNanos = threads.getCurrentThreadCpuTime() - allStart;
        Arrays.sort(serverNanos);
        long sum = Arrays.stream(serverNanos).sum();
        System.out.printf("provider %s (%s, session cache %s, netty key manager factory %s): %d handshakes after %d warm-up; server CPU per handshake: mean %.0f µs, "
                        + "p50 %.0f µs, p90 %.0f µs; client+server CPU per handshake %.0f µs; %.0f server handshakes "
                        + "per CPU-second%n",
                asked.optionName(), library.describe(), sessionCache ? "on" : "off",
                System.getProperty("io.netty.handler.ssl.openssl.useKeyManagerFactory", "default"), handshakes, warmUp, sum / 1e3 / handshakes,
                serverNanos[handshakes / 2] / 1e3, serverNanos[handshakes * 9 / 10] / 1e3,
                allNanos / 1e3 / handshakes, handshakes / (sum / 1e9));
    }

    /** One full handshake; returns the server engine's CPU nanoseconds. */
    private static long handshake(SslContext clientContext, SslContext serverContext, ThreadMXBean threads)
            throws SSLException {
        SSLEngine client = clientContext.newEngine(ByteBufAllocator.DEFAULT);
        long start = threads.getCurrentThreadCpuTime();
        SSLEngine server = serverContext.newEngine(ByteBufAllocator.DEFAULT);
        long serverNanos = threads.getCurrentThreadCpuTime() - start;
        try {
            ByteBuffer toServer = ByteBuffer.allocateDirect(64 * 1024);
            ByteBuffer toClient = ByteBuffer.allocateDirect(64 * 1024);
            ByteBuffer app = ByteBuffer.allocateDirect(64 * 1024);
            client.beginHandshake();
            server.beginHandshake();
            for (int round = 0; round < 20; round++) {
                step(client, toClient, toServer, app);
                start = threads.getCurrentThreadCpuTime();
                step(server, toServer, toClient, app);
                serverNanos += threads.getCurrentThreadCpuTime() - start;
                if (done(client) && done(server) && toServer.position() == 0 && toClient.position() == 0) {
                    return serverNanos;
                }
            }
            throw new SSLException("handshake did not finish: client " + client.getHandshakeStatus() + ", server "
                    + server.getHandshakeStatus());
        } finally {
            start = threads.getCurrentThreadCpuTime();
            ReferenceCountUtil.release(server);
            serverNanos += threads.getCurrentThreadCpuTime() - start;
            ReferenceCountUtil.release(client);
        }
    }

    /** Reads what the peer sent, then writes whatever the engine wants to send. */
    private static void step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer app) throws SSLException {
        in.flip();
        while (in.hasRemaining()) {
            app.clear();
            SSLEngineResult result = engine.unwrap(in, app);
            runTasks(engine);
            if (result.getStatus() != SSLEngineResult.Status.OK || result.bytesConsumed() == 0) {
                break;
            }
        }
        in.compact();
        // Wrap until the engine has nothing more to send: the OpenSSL engine reports its last flight (a server's
        // ChangeCipherSpec and Finished) only as produced bytes, no longer as NEED_WRAP.
        for (int i = 0; i < 10; i++) {
            SSLEngineResult result = engine.wrap(NOTHING, out);
            runTasks(engine);
            if (result.bytesProduced() == 0 && engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                break;
            }
        }
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }
}
