package org.locomov.server.it;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.locomov.tls.ClientTls;

/**
 * The real {@code locomov.jar} run as a separate process, as an operator runs it: {@code serve} in the
 * background (its banner parsed for the port, CA file and database URL), and the short commands to
 * completion.
 *
 * <p>Threads: a reader thread appends the server's output; the test thread reads it. The output list
 * is synchronized.
 */
final class LocomovProcess implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern MOV_LISTENER = Pattern.compile("listener mov\\s+\\S+:(\\d+)\\s+cipher profile");
    private static final Pattern MQTT_LISTENER = Pattern.compile("listener mqtt\\s+\\S+:(\\d+)\\s+cipher profile");
    /** {@code listener coap  127.0.0.1:40123 (UDP)  ...}: the DTLS listener (not coap-insecure). */
    private static final Pattern COAP_LISTENER = Pattern.compile("listener coap\\s+\\S+:(\\d+) \\(UDP\\)");
    private static final Pattern TRUSTED_CA = Pattern.compile("devices trust\\s+(\\S+)");
    private static final Pattern API_LISTENER = Pattern.compile("listener api\\s+\\S+:(\\d+)\\s+cipher profile");
    private static final Pattern PARTICLE_LISTENER = Pattern.compile("listener particle\\s+\\S+:(\\d+)");
    private static final Pattern ADMIN_TOKEN = Pattern.compile("admin token\\s+(\\S+)");
    private static final Pattern DATABASE = Pattern.compile("database\\s+(?:embedded|external) PostgreSQL at (jdbc:\\S+)");
    private static final Pattern TEST_TRANSPORT = Pattern.compile("listener test-transport\\s+\\S+:(\\d+)");

    private final Process process;
    private final Path dataDir; // null for a process started without one
    private final List<String> output = new ArrayList<>();

    private LocomovProcess(Process process, Path dataDir) {
        this.process = process;
        this.dataDir = dataDir;
        Thread reader = new Thread(this::readOutput, "locomov-serve-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code serve} on {@code dataDir}, on free ports (every listener: other processes on a shared build
     * machine may hold the default ones), and waits for its banner.
     */
    static LocomovProcess serve(Path dataDir, String... extraArgs) throws IOException {
        return serve(List.of(), dataDir, extraArgs);
    }

    /**
     * As {@link #serve(Path, String...)}, with {@code extraClassPath} (a test-jar whose listener modules
     * {@code serve} then finds through ServiceLoader, such as the kit's test transport) beside the jar.
     */
    static LocomovProcess serve(List<Path> extraClassPath, Path dataDir, String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("serve", "--data-dir", dataDir.toString(), "--bind", "127.0.0.1",
                "--mov-port", "0", "--mqtt-port", "0", "--coap-port", "0", "--particle-port", "0", "--api-port", "0",
                "--embedded-db-port", "0"));
        if (!List.of(extraArgs).contains("--confo-port")) {
            args.addAll(List.of("--confo-port", "0")); // the default port may be another test's
        }
        args.addAll(List.of(extraArgs));
        LocomovProcess server = new LocomovProcess(builder(extraClassPath, args).redirectErrorStream(true).start(), dataDir);
        server.awaitBanner();
        return server;
    }

    /** Runs a short command ({@code device add}, {@code send}) to completion. */
    static Result run(String... args) throws IOException, InterruptedException {
        Process process = builder(List.of(args)).start();
        // Both streams are small; read them on their own threads so neither can block the process.
        var out = readAsync(process.getInputStream());
        var err = readAsync(process.getErrorStream());
        if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("locomov " + String.join(" ", args) + " did not finish within " + START_TIMEOUT);
        }
        return new Result(process.exitValue(), out.join(), err.join());
    }

    record Result(int status, String out, String err) {
    }

    private static ProcessBuilder builder(List<String> args) {
        return builder(List.of(), args);
    }

    private static ProcessBuilder builder(List<Path> extraClassPath, List<String> args) {
        List<String> command = new ArrayList<>(List.of(javaExecutable().toString()));
        if (extraClassPath.isEmpty()) {
            command.addAll(List.of("-jar", jar().toString()));
        } else {
            List<String> classPath = new ArrayList<>(List.of(jar().toString()));
            extraClassPath.forEach(path -> classPath.add(path.toString()));
            command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, classPath), "org.locomov.server.Main"));
        }
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        // The tests decide every option; an operator's LOCOMOV_* in the build environment must not.
        builder.environment().keySet().removeIf(name -> name.startsWith("LOCOMOV_"));
        return builder;
    }

    static Path jar() {
        String jar = System.getProperty("locomov.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("run through failsafe (mvn verify): locomov.jar not found at " + jar);
        }
        return Path.of(jar);
    }

    private static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static java.util.concurrent.CompletableFuture<String> readAsync(java.io.InputStream stream) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        });
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                synchronized (output) {
                    output.add(line);
                }
            }
        } catch (IOException e) {
            // The process ended; what it printed is kept.
        }
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    private void awaitBanner() {
        await("the serve banner").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive() && !MOV_LISTENER.matcher(output()).find()) {
                        throw new AssertionError("serve exited with " + process.exitValue() + ":\n" + output());
                    }
                    return DATABASE.matcher(output()).find() && MOV_LISTENER.matcher(output()).find();
                });
    }

    int movPort() {
        return Integer.parseInt(find(MOV_LISTENER));
    }

    int mqttPort() {
        return Integer.parseInt(find(MQTT_LISTENER));
    }

    /** The UDP port of the CoAP-over-DTLS listener. */
    int coapPort() {
        return Integer.parseInt(find(COAP_LISTENER));
    }

    int apiPort() {
        return Integer.parseInt(find(API_LISTENER));
    }

    int particlePort() {
        return Integer.parseInt(find(PARTICLE_LISTENER));
    }

    /** The port of the kit's test transport (only when started with it on the class path and --test-transport-port). */
    int testTransportPort() {
        return Integer.parseInt(find(TEST_TRANSPORT));
    }

    /** The first admin's token, printed once by the first start on an empty database. */
    String adminToken() {
        // Its line comes after the database line that the banner wait stops at: the reader may not have added it yet.
        await("the admin token in the banner").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> ADMIN_TOKEN.matcher(output()).find() || !process.isAlive());
        return find(ADMIN_TOKEN);
    }

    Path caFile() {
        return Path.of(find(TRUSTED_CA));
    }

    String jdbcUrl() {
        return find(DATABASE);
    }

    /**
     * The options with which another {@code serve} joins this one's embedded PostgreSQL: since the embedded server
     * lets in only role locomov with its password (decision 0102), the password from the data directory's file.
     */
    List<String> joinDatabaseArgs() throws IOException {
        String[] entry = Files.readString(dataDir.resolve("postgres/locomov.pgpass")).strip().split(":", 5);
        return List.of("--db-url", jdbcUrl(), "--db-user", entry[3], "--db-password", entry[4]);
    }

    /**
     * The options with which another {@code serve} joins this one as a second node: its database, and its master key,
     * which opens what is sealed in that database (PSKs, the Particle server key, ACME material; decision 0802).
     */
    List<String> joinNodeArgs() throws IOException {
        List<String> args = new ArrayList<>(joinDatabaseArgs());
        args.addAll(List.of("--tls-master-key-file", dataDir.resolve("tls/master.key").toString()));
        return args;
    }

    /**
     * A connection to the server's embedded PostgreSQL, as the operator's psql would make it: as role
     * locomov, with the password from the owner-only password file in the data directory.
     */
    Connection connect() throws SQLException {
        Properties properties = new Properties();
        try {
            // libpq's format: 127.0.0.1:*:*:locomov:<password>
            String[] entry = Files.readString(dataDir.resolve("postgres/locomov.pgpass")).strip().split(":", 5);
            properties.setProperty("user", entry[3]);
            properties.setProperty("password", entry[4]);
        } catch (IOException e) {
            throw new SQLException("cannot read the embedded PostgreSQL's password file: " + e, e);
        }
        return DriverManager.getConnection(jdbcUrl(), properties);
    }

    private String find(Pattern pattern) {
        Matcher matcher = pattern.matcher(output());
        if (!matcher.find()) {
            throw new AssertionError("no " + pattern + " in the banner:\n" + output());
        }
        return matcher.group(1);
    }

    /** Sends SIGTERM (what {@link Process#destroy()} does on Linux) without waiting. */
    void terminate() {
        process.destroy();
    }

    /** Sends SIGTERM and waits for the process to exit; returns its exit status. */
    int stop() throws InterruptedException {
        terminate();
        return awaitExit();
    }

    int awaitExit() throws InterruptedException {
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("serve did not stop within " + STOP_TIMEOUT + ":\n" + output());
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Posts a command for {@code deviceId} to this node's API as its admin; the reply comes when the API answers. */
    CompletableFuture<HttpResponse<String>> postCommand(long deviceId, String json) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(ClientTls.jdkContext(caFile())).build();
        HttpRequest post = HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + apiPort() + "/api/v1/devices/" + deviceId + "/commands"))
                .header("Authorization", "Bearer " + adminToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return client.sendAsync(post, HttpResponse.BodyHandlers.ofString());
    }
}
