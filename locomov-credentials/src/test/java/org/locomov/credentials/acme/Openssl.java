package org.locomov.credentials.acme;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code openssl s_client} against 127.0.0.1, verifying a DNS name against a given root. */
final class Openssl {

    private static final Pattern PEM = Pattern.compile("-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", Pattern.DOTALL);

    record Result(int exitCode, String output) {
        List<X509Certificate> servedChain() throws Exception {
            List<X509Certificate> chain = new ArrayList<>();
            Matcher matcher = PEM.matcher(output);
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (matcher.find()) {
                chain.add((X509Certificate) factory.generateCertificate(
                        new ByteArrayInputStream(matcher.group().getBytes(StandardCharsets.US_ASCII))));
            }
            return chain;
        }
    }

    private Openssl() {
    }

    static Result sClient(int port, String domain, Path rootFile, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", domain, "-verify_hostname", domain, "-CAfile", rootFile.toString(), "-showcerts"));
        command.addAll(List.of(options));
        Path output = Files.createTempFile("openssl", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("openssl did not finish within 60 s: " + command);
            }
            return new Result(process.exitValue(), Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
