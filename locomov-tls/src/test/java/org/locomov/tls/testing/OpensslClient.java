package org.locomov.tls.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs the real {@code openssl} command line; tests that need it are skipped where it is not installed. */
public final class OpensslClient {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", Pattern.DOTALL);
    /** A bound on one openssl run, so a hang fails the test instead of blocking the build. */
    private static final long RUN_LIMIT_SECONDS = 60;

    public record Result(int exitCode, String output) {
        /** The certificates the server sent, as printed by {@code -showcerts}, in order. */
        public List<X509Certificate> servedChain() {
            List<X509Certificate> chain = new ArrayList<>();
            Matcher matcher = PEM.matcher(output);
            try {
                CertificateFactory factory = CertificateFactory.getInstance("X.509");
                while (matcher.find()) {
                    chain.add((X509Certificate) factory.generateCertificate(
                            new ByteArrayInputStream(matcher.group().getBytes(StandardCharsets.US_ASCII))));
                }
            } catch (CertificateException e) {
                throw new AssertionError("openssl printed a certificate Java cannot read", e);
            }
            return chain;
        }
    }

    private OpensslClient() {
    }

    public static void assumeInstalled() {
        boolean installed;
        try {
            installed = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            installed = false;
        }
        assumeTrue(installed, "skipped: the openssl command is not installed (Debian package 'openssl')");
    }

    /**
     * {@code openssl s_client} to 127.0.0.1:{@code port}, verifying against {@code caFile} and the IP address,
     * sending {@code input} and waiting until the server closes ({@code -ign_eof}).
     */
    public static Result sClient(int port, Path caFile, String input, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-CAfile", caFile.toString(), "-verify_ip", "127.0.0.1", "-showcerts", "-ign_eof"));
        command.addAll(List.of(options));
        return run(command, input);
    }

    public static Result run(List<String> command, String input) throws IOException, InterruptedException {
        // Output goes to a file, not a pipe, so the run limit holds even when openssl never closes its output.
        Path outputFile = Files.createTempFile("openssl", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(outputFile.toFile()).start();
            process.getOutputStream().write(input.getBytes(StandardCharsets.US_ASCII));
            process.getOutputStream().close();
            if (!process.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("openssl did not finish within " + RUN_LIMIT_SECONDS + " s: " + command);
            }
            return new Result(process.exitValue(), Files.readString(outputFile, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(outputFile);
        }
    }
}
