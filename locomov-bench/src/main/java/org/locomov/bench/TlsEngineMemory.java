package org.locomov.bench;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;

/**
 * Resident memory per OpenSSL server engine before its handshake (BoringSSL's {@code SSL}, its BIO and Netty's
 * non-application buffer, plus the engine's Java objects), with Netty's default buffer and with another size:
 * the part of an idle connection's memory that does not depend on the machine's load or the GC's timing.
 * Decision 1512 is based on it.
 *
 * <pre>
 * java -cp locomov-bench/target/locomov-bench.jar org.locomov.bench.TlsEngineMemory CERT.pem KEY.pem 20000 256
 * </pre>
 */
public final class TlsEngineMemory {

    private TlsEngineMemory() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: TlsEngineMemory CERT.pem KEY.pem ENGINES BUFFER_BYTES (0 = Netty's default)");
            System.exit(2);
        }
        File chain = new File(args[0]);
        File key = new File(args[1]);
        int engines = Integer.parseInt(args[2]);
        int bufferBytes = Integer.parseInt(args[3]);
        SslContext context = SslContextBuilder.forServer(chain, key).sslProvider(SslProvider.OPENSSL).build();
        if (bufferBytes > 0) {
            ((ReferenceCountedOpenSslContext) context).setBioNonApplicationBufferSize(bufferBytes);
        }
        List<SSLEngine> held = new ArrayList<>();
        add(context, held, 1_000);  // warm: classes loaded, allocator arenas in use
        long before = residentKib();
        add(context, held, engines);
        long after = residentKib();
        System.out.printf(Locale.ROOT, "non-application buffer %s: %d engines, resident %,d -> %,d KiB: %.0f bytes per engine%n",
                bufferBytes > 0 ? bufferBytes + " bytes" : "Netty's default", engines, before, after,
                (after - before) * 1024.0 / engines);
    }

    private static void add(SslContext context, List<SSLEngine> held, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            held.add(context.newEngine(ByteBufAllocator.DEFAULT));
        }
        System.gc();
        Thread.sleep(200);
    }

    private static long residentKib() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
