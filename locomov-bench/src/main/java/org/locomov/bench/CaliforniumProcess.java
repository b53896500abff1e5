package org.locomov.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link BareCaliforniumServer} in a child JVM started from the bench's own class path, so that its CPU and
 * memory are measured apart from the load generator's, as the locomov server's are. Its keys go in a file only
 * its owner can read, never on the command line. It runs under {@code timeout} and exits when this JVM's end of
 * its standard input closes, so it never outlives the bench.
 *
 * <p>Threads: started and closed by the bench thread; one daemon thread copies its output to a log file and
 * completes the port future.
 */
final class CaliforniumProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CaliforniumProcess.class);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);

    private final Process process;
    private final int port;

    private CaliforniumProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * @param directory for the key file and the log
     * @param keys      the PSKs it knows
     * @param jvmArgs   the JVM options the locomov server gets, so both JVMs run alike
     * @param lifetime  after this it stops by itself
     */
    static CaliforniumProcess start(Path directory, List<DtlsPsk> keys, List<String> jvmArgs, Duration lifetime)
            throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Path keyFile = directory.resolve("psk.txt");
        Files.deleteIfExists(keyFile);
        Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(keyFile, keys.stream().map(DtlsPsk::line).toList(), StandardCharsets.US_ASCII);
        List<String> command = new ArrayList<>(List.of("timeout", "-k", "5",
                Long.toString(Math.max(1, lifetime.toSeconds())), LocomovServerProcess.javaExecutable()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BareCaliforniumServer.class.getName(),
                keyFile.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Path output = directory.resolve("californium.log");
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread copier = new Thread(() -> copyOutput(process, output, port), "californium-output");
        copier.setDaemon(true);
        copier.start();
        try {
            int listening = port.get(STARTUP_WAIT.toSeconds(), TimeUnit.SECONDS);
            log.info("bare Californium on udp 127.0.0.1:{} (pid {})", listening, process.pid());
            return new CaliforniumProcess(process, listening);
        } catch (ExecutionException | TimeoutException e) {
            stop(process);
            throw new IOException("bare Californium server did not start: "
                    + (e instanceof TimeoutException ? "no port within " + STARTUP_WAIT : e.getCause().getMessage())
                    + "; its output is in " + output);
        }
    }

    private static void copyOutput(Process process, Path output, CompletableFuture<Integer> port) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter file = new PrintWriter(Files.newBufferedWriter(output), true)) {
            String line;
            while ((line = lines.readLine()) != null) {
                file.println(line);
                if (!port.isDone() && line.startsWith(BareCaliforniumServer.READY)) {
                    port.complete(Integer.parseInt(line.substring(BareCaliforniumServer.READY.length()).trim()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            port.completeExceptionally(e);
        }
        port.completeExceptionally(new IOException("it exited before listening"));
    }

    int port() {
        return port;
    }

    /** The child JVM (and the {@code timeout} wrapper), for CPU and memory accounting. */
    ProcessTreeStats stats() {
        return ProcessTreeStats.of(process.toHandle());
    }

    @Override
    public void close() throws InterruptedException {
        stop(process);
    }

    private static void stop(Process process) throws InterruptedException {
        try {
            process.getOutputStream().close();  // its end of standard input: it stops by itself
        } catch (IOException alreadyClosed) {
            // then SIGTERM below does it
        }
        ChildProcesses.stop(process, STOP_WAIT);
    }

    @Override
    public String toString() {
        return "bare Californium server (pid " + process.pid() + ")";
    }
}
