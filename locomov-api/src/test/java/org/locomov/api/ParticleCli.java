package org.locomov.api;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Particle's own CLI, {@code particle-cli} from npm, as a client of locomov: installed on first use (with npm,
 * into {@code ~/.cache/locomov/particle-cli-VERSION}, or {@code $LOCOMOV_PARTICLE_CLI_DIR}; never into the
 * repository), run with its own home directory (where it keeps its profile and token), locomov's CA in
 * {@code NODE_EXTRA_CA_CERTS}, and its update check off. A test using it is skipped, saying why, when Node or
 * npm is missing or the package cannot be installed.
 */
final class ParticleCli {

    /** The newest version whose dependencies install on Node 20 from the public registry. */
    static final String VERSION = "3.40.0";
    /**
     * particle-cli 3.40.0 requires {@code execa} when it flashes but lists it only among its development
     * dependencies, so it is installed beside it.
     */
    private static final String EXECA = "execa@5.1.1";
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);

    /** What a finished command printed. */
    record Result(int status, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private final Path executable;
    private final Path home;
    private final Path caFile;

    private ParticleCli(Path executable, Path home, Path caFile) {
        this.executable = executable;
        this.home = home;
        this.caFile = caFile;
    }

    /** The CLI, installed if need be, with a fresh home; skips the calling test when it cannot be had. */
    static ParticleCli installed(Path home, Path caFile) throws IOException, InterruptedException {
        Path directory = Path.of(System.getenv().getOrDefault("LOCOMOV_PARTICLE_CLI_DIR",
                System.getProperty("user.home") + "/.cache/locomov/particle-cli-" + VERSION));
        Path executable = directory.resolve("node_modules/.bin/particle");
        if (!Files.isExecutable(executable) || !Files.isDirectory(directory.resolve("node_modules/execa"))) {
            assumeThat(runs("node", "--version")).as("Node.js is needed to run particle-cli (not found on PATH)").isTrue();
            assumeThat(runs("npm", "--version")).as("npm is needed to install particle-cli (not found on PATH)").isTrue();
            Files.createDirectories(directory);
            Process install = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error",
                    "--prefix", directory.toString(), "particle-cli@" + VERSION, EXECA)
                    .redirectErrorStream(true).redirectOutput(directory.resolve("npm-install.log").toFile()).start();
            boolean done = install.waitFor(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                install.destroyForcibly();
            }
            assumeThat(done && install.exitValue() == 0 && Files.isExecutable(executable))
                    .as("particle-cli@" + VERSION + " could not be installed with npm; see " + directory.resolve("npm-install.log"))
                    .isTrue();
        }
        Files.createDirectories(home);
        return new ParticleCli(executable, home, caFile);
    }

    private static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs {@code particle ARGS} to its end (at most two minutes). */
    Result run(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process process = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("particle " + String.join(" ", args) + " did not finish in two minutes; printed "
                    + Files.readString(out) + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Starts {@code particle ARGS} (a subscription) with its output going to {@code output}. */
    Process start(Path output, String... args) throws IOException {
        Process process = builder(args).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        process.getOutputStream().close();
        return process;
    }

    private ProcessBuilder builder(String... args) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("HOME", home.toString());
        environment.put("NODE_EXTRA_CA_CERTS", caFile.toString());
        environment.put("PARTICLE_DISABLE_UPDATE", "true");
        environment.remove("HTTPS_PROXY");
        environment.remove("https_proxy");
        return builder;
    }
}
