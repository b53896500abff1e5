package org.locomov.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The locomov server under test, as an operator runs it: {@code java -jar locomov.jar serve} in its own
 * process against the bench's PostgreSQL, on 127.0.0.1 and a free port, with the bench's certificate.
 * Ready when its banner names the mov listener's port.
 *
 * <p>It runs under {@code timeout}, so it stops by itself even if the bench is killed; {@link #close()}
 * sends SIGTERM (a graceful shutdown) and waits for it. Threads: started and closed by the bench thread;
 * one daemon thread copies the server's output to {@code server.log} and completes the port future.
 */
public final class LocomovServerProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocomovServerProcess.class);
    /** The banner line {@code  listener mov       127.0.0.1:38981  cipher profile cc32xx}. */
    private static final Pattern MOV_LISTENER = Pattern.compile("^\\s*listener mov\\s+\\S+:(\\d{1,5})\\b");
    private static final Pattern MQTT_LISTENER = Pattern.compile("^\\s*listener mqtt\\s+\\S+:(\\d{1,5})\\b");
    /** Any listener's banner line, for the listeners a phase turns on ({@code --coap-port 0}). */
    private static final Pattern ANY_LISTENER = Pattern.compile("^\\s*listener (\\S+)\\s+\\S+:(\\d{1,5})\\b");
    /** The banner line after the listeners: once it is read, every listener has been named. */
    private static final Pattern AFTER_LISTENERS = Pattern.compile("^\\s*devices trust\\b");
    /**
     * The other listeners of {@code serve}, on any free port (or off where that is allowed and no phase
     * uses them), so that a bench never collides with a server or test already on their default ports.
     * An option the caller gives in {@code serveArgs} wins.
     */
    private static final List<List<String>> OTHER_LISTENERS = List.of(
            List.of("--confo-port", "0"), List.of("--api-port", "0"), List.of("--mqtt-port", "0"),
            List.of("--coap-port", "-1"), List.of("--particle-port", "-1"));
    /** Long enough for a start on a machine other builds keep busy (load average 20 on 2 cores: ~2 min). */
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(300);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final int movPort;
    private final int mqttPort;
    private final Path dataDir;
    /** Listener name → port from the banner; complete once the banner's listener lines are read. */
    private final CompletableFuture<Map<String, Integer>> listenerPorts;

    private LocomovServerProcess(Process process, int movPort, int mqttPort, Path dataDir,
            CompletableFuture<Map<String, Integer>> listenerPorts) {
        this.process = process;
        this.movPort = movPort;
        this.mqttPort = mqttPort;
        this.dataDir = dataDir;
        this.listenerPorts = listenerPorts;
    }

    /**
     * @param jar          {@code locomov-server/target/locomov.jar}
     * @param dataDir      the server's data directory (logs, its own development CA, unused here)
     * @param jdbcUrl      the bench's PostgreSQL
     * @param dbUser       its role (the embedded server lets in only {@code locomov})
     * @param dbPassword   that role's password, or null; passed in the environment ({@code LOCOMOV_DB_PASSWORD}),
     *                     never on the command line, where any local user could read it
     * @param certificates the certificate to serve
     * @param jvmArgs      extra JVM options (e.g. {@code -Xmx512m})
     * @param serveArgs    extra {@code serve} options (e.g. {@code --ingest-max-batch 500})
     * @param lifetime     after this the server stops by itself
     */
    public static LocomovServerProcess start(Path jar, Path dataDir, String jdbcUrl, String dbUser,
                                             String dbPassword, BenchCertificates certificates, List<String> jvmArgs,
                                             List<String> serveArgs, Duration lifetime)
            throws IOException, InterruptedException {
        if (!Files.isReadable(jar)) {
            throw new IOException("server jar " + jar + " not found; build it with "
                    + "./mvnw -q -DskipTests -pl locomov-bench -am package (bench/run does)");
        }
        Files.createDirectories(dataDir);
        List<String> command = new ArrayList<>(List.of(
                "timeout", "-k", "10", Long.toString(Math.max(1, lifetime.toSeconds())), javaExecutable()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString(), "serve",
                "--data-dir", dataDir.toString(),
                "--db-url", jdbcUrl,
                "--db-user", dbUser,
                "--bind", "127.0.0.1",
                "--mov-port", "0",
                "--tls-cert", certificates.chainPem().toString(),
                "--tls-key", certificates.keyPem().toString()));
        for (List<String> listener : OTHER_LISTENERS) {
            if (serveArgs.stream().noneMatch(arg -> arg.equals(listener.get(0)) || arg.startsWith(listener.get(0) + "="))) {
                command.addAll(listener);
            }
        }
        command.addAll(serveArgs);
        log.info("starting {}", String.join(" ", command));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (dbPassword != null) {
            builder.environment().put("LOCOMOV_DB_PASSWORD", dbPassword);
        }
        Process process = builder.start();
        Path output = dataDir.resolve("server.log");
        CompletableFuture<Integer> movPort = new CompletableFuture<>();
        CompletableFuture<Integer> mqttPort = new CompletableFuture<>();
        CompletableFuture<Map<String, Integer>> listenerPorts = new CompletableFuture<>();
        Thread copier = new Thread(() -> copyOutput(process, output, movPort, mqttPort, listenerPorts),
                "locomov-server-output");
        copier.setDaemon(true);
        copier.start();
        try {
            int port = movPort.get(STARTUP_WAIT.toSeconds(), TimeUnit.SECONDS);
            int mqtt = mqttPort.get(STARTUP_WAIT.toSeconds(), TimeUnit.SECONDS);
            log.info("locomov serving mov on 127.0.0.1:{}, MQTT on 127.0.0.1:{} (pid {})", port, mqtt, process.pid());
            return new LocomovServerProcess(process, port, mqtt, dataDir, listenerPorts);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            stop(process);
            String why = e instanceof ExecutionException ? e.getCause().getMessage()
                    : e instanceof TimeoutException ? "no banner within " + STARTUP_WAIT : "interrupted";
            throw new IOException("locomov server did not start: " + why + "; its output is in " + output
                    + ":\n" + tail(output));
        }
    }

    private static void copyOutput(Process process, Path output, CompletableFuture<Integer> movPort,
            CompletableFuture<Integer> mqttPort, CompletableFuture<Map<String, Integer>> listenerPorts) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter file = new PrintWriter(Files.newBufferedWriter(output), true)) {
            String line;
            while ((line = lines.readLine()) != null) {
                file.println(line);
                Matcher listener = MOV_LISTENER.matcher(line);
                if (!movPort.isDone() && listener.find()) {
                    movPort.complete(Integer.parseInt(listener.group(1)));
                }
                Matcher mqtt = MQTT_LISTENER.matcher(line);
                if (!mqttPort.isDone() && mqtt.find()) {
                    mqttPort.complete(Integer.parseInt(mqtt.group(1)));
                }
                Matcher any = ANY_LISTENER.matcher(line);
                if (!listenerPorts.isDone() && any.find()) {
                    ports.putIfAbsent(any.group(1), Integer.parseInt(any.group(2)));
                }
                if (!listenerPorts.isDone() && AFTER_LISTENERS.matcher(line).find()) {
                    listenerPorts.complete(Map.copyOf(ports));
                }
            }
        } catch (IOException e) {
            movPort.completeExceptionally(e);
        }
        movPort.completeExceptionally(new IOException("the server exited before printing its banner"));
        mqttPort.completeExceptionally(new IOException("the server exited before printing its banner"));
        listenerPorts.completeExceptionally(new IOException("the server exited before printing its banner"));
    }

    static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    public int movPort() {
        return movPort;
    }

    public int mqttPort() {
        return mqttPort;
    }

    /** The CoAP/DTLS listener's UDP port; the server must have been started with {@code --coap-port 0} (or a port). */
    public int coapPort() throws IOException, InterruptedException {
        return listenerPort("coap");
    }

    /** A listener's port as the banner names it. */
    int listenerPort(String listener) throws IOException, InterruptedException {
        Map<String, Integer> ports;
        try {
            ports = listenerPorts.get(STARTUP_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the server's banner did not list its listeners: " + e);
        }
        Integer port = ports.get(listener);
        if (port == null) {
            throw new IOException("the server has no " + listener + " listener (its banner names " + ports.keySet()
                    + "); give it --" + listener + "-port 0");
        }
        return port;
    }

    /** The server's data directory (its device CA and master key are under {@code tls/}). */
    public Path dataDir() {
        return dataDir;
    }

    /** The server JVM (and the {@code timeout} wrapper), for CPU and memory accounting. */
    public ProcessTreeStats stats() {
        return ProcessTreeStats.of(process.toHandle());
    }

    /**
     * Runs a full garbage collection in the server JVM ({@code jcmd <pid> GC.run}), then gives the C heap's free
     * memory back to the OS ({@code System.trim_native_heap}), so that a memory sample that follows counts live
     * data rather than garbage: G1 gives unused heap back after a full GC, and the trim does the same for what
     * TLS handshakes freed in BoringSSL's malloc arenas (decision 1511; a server started with
     * {@code -XX:TrimNativeHeapInterval}, as {@code dist/locomov.env} ships, does it by itself).
     *
     * @return false when jcmd could not do it (the sample then includes garbage)
     */
    public boolean collectGarbage() throws InterruptedException {
        return jcmd("GC.run") && jcmd("System.trim_native_heap");
    }

    private boolean jcmd(String command) throws InterruptedException {
        Path jcmd = Path.of(javaExecutable()).resolveSibling("jcmd");
        var jvm = process.descendants().filter(child -> child.info().command().map(c -> c.endsWith("java")).orElse(false))
                .findFirst();
        if (jvm.isEmpty() || !Files.isExecutable(jcmd)) {
            return false;
        }
        try {
            Process run = new ProcessBuilder(jcmd.toString(), Long.toString(jvm.get().pid()), command)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return run.waitFor(60, TimeUnit.SECONDS) && run.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(process);
    }

    private static void stop(Process process) throws InterruptedException {
        ChildProcesses.stop(process, STOP_WAIT);  // on SIGTERM the server commits what is queued and exits
    }
}
