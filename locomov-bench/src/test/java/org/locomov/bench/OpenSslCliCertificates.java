package org.locomov.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA and an RSA server certificate for 127.0.0.1, made with the {@code openssl} command
 * (the tool an operator would use), so that the generator's tests need nothing from the server modules.
 */
record OpenSslCliCertificates(Path caPem, Path chainPem, Path keyPem) {

    static OpenSslCliCertificates create(Path dir) throws IOException, InterruptedException {
        Path caKey = dir.resolve("ca.key");
        Path caPem = dir.resolve("ca.pem");
        Path keyPem = dir.resolve("server.key");
        Path csr = dir.resolve("server.csr");
        Path leafPem = dir.resolve("server.pem");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(),
                "-out", caPem.toString(), "-days", "2", "-subj", "/CN=locomov bench test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", keyPem.toString(), "-out", csr.toString(),
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", caPem.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-days", "2", "-copy_extensions", "copy", "-out", leafPem.toString());
        Path chainPem = dir.resolve("chain.pem");
        Files.writeString(chainPem, Files.readString(leafPem) + Files.readString(caPem));
        return new OpenSslCliCertificates(caPem, chainPem, keyPem);
    }

    private static void openssl(Path dir, String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", arguments) + " failed:\n" + output);
        }
    }
}
