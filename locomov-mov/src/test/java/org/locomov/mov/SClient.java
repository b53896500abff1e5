package org.locomov.mov;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.locomov.tls.testing.TestCertificates;

/**
 * {@code openssl s_client} as a device: connects to a listener on 127.0.0.1, verifies the server against
 * the CA file a device holds, sends its input and keeps the connection open afterwards ({@code -ign_eof}),
 * as the device does until it reads the reply.
 */
final class SClient {

    /** Until the reply to one packet arrives or s_client gives up. */
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    private SClient() {
    }

    /** Whether an {@code openssl} binary runs here (Debian package openssl). */
    static boolean installed() {
        try {
            Process version = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            return version.waitFor(10, TimeUnit.SECONDS) && version.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Runs s_client against {@code port} with {@code input} as what it sends and {@code options} added to
     * its command line; returns everything it printed once {@code replied} holds for its output or it has
     * ended. Files go to {@code work}.
     */
    static String send(Path work, int port, byte[] input, Predicate<String> replied, List<String> options)
            throws IOException, InterruptedException {
        Path inputFile = Files.createTempFile(work, "packet", ".bin");
        Files.write(inputFile, input);
        Path out = Files.createTempFile(work, "s_client", ".out");
        List<String> command = new ArrayList<>(List.of("openssl", "s_client",
                "-connect", "127.0.0.1:" + port,
                "-CAfile", TestCertificates.shared().caCertificateFile().toString(),
                "-verify_return_error", "-ign_eof", "-nocommands"));
        command.addAll(options);
        Process client = new ProcessBuilder(command)
                .redirectInput(inputFile.toFile())
                .redirectOutput(out.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            await().atMost(REPLY_TIMEOUT).until(() -> replied.test(read(out)) || !client.isAlive());
        } finally {
            client.destroy();
            client.waitFor(10, TimeUnit.SECONDS);
        }
        return read(out);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.ISO_8859_1);
    }
}
