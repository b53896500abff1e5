package org.locomov.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The original mov-server's start line, with only the program name changed, starts locomov (issue 12):
 * {@code ./locomov -stderrthreshold=INFO -secure -dbdb=m0v -dbuser=sridhar -dbpw= 2>&1 | funnel -app=mov},
 * against a PostgreSQL on 127.0.0.1:5432 holding database m0v for user sridhar, as the original's did.
 * Only the ports and the data directory come from LOCOMOV_* variables, so that the test can run beside others.
 */
class OriginalStartLineIT {

    private static final String START_LINE =
            "./locomov -stderrthreshold=INFO -secure -dbdb=m0v -dbuser=sridhar -dbpw= 2>&1 | funnel -app=mov";
    private static final int ORIGINAL_DATABASE_PORT = 5432;
    private static final Pattern MOV_LISTENER = Pattern.compile("listener mov\\s+\\S+:(\\d+)\\s+cipher profile");
    private static final Pattern TRUSTED_CA = Pattern.compile("devices trust\\s+(\\S+)");

    @TempDir
    Path work;

    private final List<String> output = new ArrayList<>();

    @Test
    void theOriginalStartLineStartsLocomovOnTheOriginalsDatabase() throws Exception {
        assumeThat(portFree(ORIGINAL_DATABASE_PORT))
                .as("PostgreSQL's port 5432 on 127.0.0.1 is taken; this test needs it for the original's -dbdb").isTrue();
        try (EmbeddedPostgres original = originalsDatabase()) {
            Process line = startLine();
            try {
                await("the banner").atMost(LocomovProcess.START_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
                    if (!line.isAlive()) {
                        throw new AssertionError("the start line ended with " + line.exitValue() + ":\n" + output());
                    }
                    return MOV_LISTENER.matcher(output()).find();
                });
                assertThat(output())
                        .contains("-stderrthreshold=INFO: the console shows INFO and above")
                        .contains("external PostgreSQL at jdbc:postgresql://127.0.0.1:5432/m0v")
                        .doesNotContain("Unknown option");

                LocomovProcess.Result added = LocomovProcess.run("device", "add", "--id", "7",
                        "-dbdb=m0v", "-dbuser=sridhar", "-dbpw=", "--data-dir", work.resolve("data").toString());
                assertThat(added.status()).as(added.err()).isZero();
                LocomovProcess.Result sent = LocomovProcess.run("send", "--host", "127.0.0.1",
                        "--port", find(MOV_LISTENER), "--ca", find(TRUSTED_CA), "--id", "7", "--voltage", "231.5",
                        "--freq", "50.0");
                assertThat(sent.out().strip()).as(sent.err()).isEqualTo("Thank you.");

                try (Connection m0v = original.getDatabase("sridhar", "m0v").getConnection();
                        PreparedStatement query = m0v.prepareStatement(
                                "SELECT count(*) FROM reading WHERE pub_id = 7 AND voltage = 231.5");
                        ResultSet rows = query.executeQuery()) {
                    rows.next();
                    assertThat(rows.getLong(1)).isEqualTo(1);
                }
            } finally {
                stop(line);
            }
        }
    }

    /** What the original ran against: database m0v owned by sridhar, reachable without a password. */
    private EmbeddedPostgres originalsDatabase() throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPort(ORIGINAL_DATABASE_PORT)
                .setDataDirectory(work.resolve("original-pg")).setCleanDataDirectory(true)
                .setServerConfig("listen_addresses", "127.0.0.1").setServerConfig("unix_socket_directories", "")
                .start();
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE ROLE sridhar LOGIN");
            statement.execute("CREATE DATABASE m0v OWNER sridhar");
        }
        return postgres;
    }

    /** The start line through sh, with ./locomov the real jar and funnel a stand-in that passes lines on. */
    private Process startLine() throws IOException {
        Path bin = Files.createDirectories(work.resolve("bin"));
        script(work.resolve("locomov"), "exec '" + javaExecutable() + "' -jar '" + LocomovProcess.jar() + "' \"$@\"");
        script(bin.resolve("funnel"), "exec cat");
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", START_LINE).directory(work.toFile())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("LOCOMOV_"));
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("LOCOMOV_DATA_DIR", work.resolve("data").toString());
        builder.environment().put("LOCOMOV_BIND", "127.0.0.1");
        builder.environment().put("LOCOMOV_MOV_PORT", "0");
        builder.environment().put("LOCOMOV_CONFO_PORT", "0");
        builder.environment().put("LOCOMOV_API_PORT", "0");
        builder.environment().put("LOCOMOV_MQTT_PORT", "0");
        builder.environment().put("LOCOMOV_COAP_PORT", "0");
        builder.environment().put("LOCOMOV_PARTICLE_PORT", "0");
        Process process = builder.start();
        Thread reader = new Thread(() -> read(process), "start-line-output");
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    }

    /** SIGTERM to locomov (the java under sh), as an init script stops it; funnel and sh then end. */
    private void stop(Process line) throws InterruptedException {
        line.descendants().filter(process -> process.info().command().orElse("").endsWith("java"))
                .forEach(ProcessHandle::destroy);
        if (!line.waitFor(LocomovProcess.STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            line.descendants().forEach(ProcessHandle::destroyForcibly);
            line.destroyForcibly();
        }
    }

    private void read(Process process) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                synchronized (output) {
                    output.add(text);
                }
            }
        } catch (IOException e) {
            // the line ended
        }
    }

    private String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    private String find(Pattern pattern) {
        Matcher matcher = pattern.matcher(output());
        if (!matcher.find()) {
            throw new AssertionError("no " + pattern + " in:\n" + output());
        }
        return matcher.group(1);
    }

    private static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static boolean portFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
