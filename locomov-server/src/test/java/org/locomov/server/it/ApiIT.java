package org.locomov.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's API walk-through against a real {@code serve}: the first start prints an admin token, and
 * the real curl, trusting only the printed CA, lists the devices with it.
 */
class ApiIT {

    @TempDir
    Path dataDir;

    @Test
    void firstStartPrintsAnAdminTokenThatCurlCanUseAgainstTheApi() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed (apt-get install curl)");
        try (LocomovProcess server = LocomovProcess.serve(dataDir)) {
            LocomovProcess.Result added = LocomovProcess.run("device", "add", "--id", "7", "--name", "pump-7",
                    "--data-dir", dataDir.toString());
            assertThat(added.status()).as(added.err()).isZero();

            Curl devices = curl(server, server.adminToken());
            assertThat(devices.output()).startsWith("200 ").contains("\"id\":7").contains("pump-7");

            assertThat(curl(server, "lm_not-a-token").output()).startsWith("401 ");
        }
    }

    @Test
    void theAdminTokenIsPrintedOnlyOnTheFirstStart() throws Exception {
        try (LocomovProcess first = LocomovProcess.serve(dataDir)) {
            assertThat(first.adminToken()).startsWith("lm_");
        }
        try (LocomovProcess second = LocomovProcess.serve(dataDir)) {
            assertThat(second.output()).doesNotContain("admin token");
        }
    }

    private record Curl(String output) {
    }

    /** Runs the README's curl command; its output is the status code, a space, then the body. */
    private static Curl curl(LocomovProcess server, String token) throws IOException, InterruptedException {
        Process curl = new ProcessBuilder(List.of("curl", "--silent", "--show-error", "--max-time", "20",
                "--cacert", server.caFile().toString(), "--write-out", "%{http_code} ", "--output", "-",
                "-H", "Authorization: Bearer " + token,
                "https://127.0.0.1:" + server.apiPort() + "/api/v1/devices"))
                .redirectErrorStream(true).start();
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // --write-out comes after the body; put the status first for readable assertions.
        String status = output.substring(output.length() - 4).strip();
        String body = output.substring(0, output.length() - 4);
        return new Curl(status + " " + body);
    }
}
