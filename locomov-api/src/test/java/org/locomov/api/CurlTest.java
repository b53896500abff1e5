package org.locomov.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The README's command, with the real curl: it must trust the CA file and get the devices. */
class CurlTest {

    private static ApiFixture api;

    @BeforeAll
    static void start() {
        api = ApiFixture.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void curlWithTheCaFileAndABearerTokenListsTheDevices() throws Exception {
        assumeTrue(onPath("curl"), "curl is not installed (Debian package curl); skipping the curl interop test");
        String token = api.userWithToken("curl@example.com", false);
        api.addDevice(77, "curl@example.com");

        Process curl = new ProcessBuilder("curl", "--silent", "--show-error", "--write-out", "\n%{http_code}",
                "--cacert", ApiFixture.caFile().toString(),
                "https://127.0.0.1:" + api.server.port() + "/api/v1/devices",
                "-H", "Authorization: Bearer " + token)
                .redirectErrorStream(true).start();
        assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(curl.exitValue()).as(output).isZero();
        assertThat(output).endsWith("\n200");
        assertThat(output).contains("\"id\":77");
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, program).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
