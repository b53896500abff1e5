package org.locomov.coap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * libcoap's command-line client ({@code coap-client-openssl}, {@code coap-client-gnutls}; Debian package
 * libcoap3-bin) as the device: one POST, its output and exit code once it has stopped.
 */
record Libcoap(String binary) {

    record Result(int exitCode, String output) {
    }

    static final Libcoap OPENSSL = new Libcoap("coap-client-openssl");
    static final Libcoap GNUTLS = new Libcoap("coap-client-gnutls");

    boolean installed() {
        return Files.isExecutable(Path.of("/usr/bin", binary));
    }

    /** POSTs {@code json} (Content-Format json) to {@code uri} with {@code credentials} (e.g. -u ID -k KEY). */
    Result post(String uri, String json, List<String> credentials) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary, "-m", "post", "-t", "json", "-B", "10", "-e", json));
        command.addAll(credentials);
        command.add(uri);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(binary + " did not stop within 30 s");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
