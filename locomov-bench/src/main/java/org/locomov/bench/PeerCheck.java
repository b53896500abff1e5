package org.locomov.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the peers of a run usable before anything is measured: a missing one is installed with
 * {@code apt-get} when the bench runs as root (and {@code --no-install} is not given); otherwise its
 * phases are skipped with the reason in the report. Runs once, on the bench thread.
 */
final class PeerCheck {

    private static final Logger log = LoggerFactory.getLogger(PeerCheck.class);
    private static final long APT_TIMEOUT_MINUTES = 10;

    private final boolean mayInstall;
    private final boolean root;
    private final Path logDirectory;
    private final Map<Peer, Optional<String>> verdicts = new LinkedHashMap<>();

    /** @param mayInstall whether to try apt-get at all (also needs root) */
    PeerCheck(boolean mayInstall, Path logDirectory) {
        this(mayInstall, isRoot(), logDirectory);
    }

    /** @param root whether this process may apt-get (tests check the non-root path on a root machine) */
    PeerCheck(boolean mayInstall, boolean root, Path logDirectory) {
        this.mayInstall = mayInstall;
        this.root = root;
        this.logDirectory = logDirectory;
    }

    /** Why {@code peer} cannot be used (after an install attempt), or empty when it can. Remembered per peer. */
    Optional<String> unavailable(Peer peer) {
        return verdicts.computeIfAbsent(peer, this::check);
    }

    private Optional<String> check(Peer peer) {
        Optional<String> reason = peer.unavailableReason().get();
        if (reason.isEmpty()) {
            return reason;
        }
        if (!mayInstall) {
            return Optional.of(reason.get() + "; not installing (--no-install)");
        }
        if (!root) {
            return Optional.of(reason.get() + "; run as root to let the bench install "
                    + String.join(" ", peer.debianPackages()) + " with apt-get");
        }
        log.info("{}: {}; installing {} with apt-get", peer.name(), reason.get(), peer.debianPackages());
        String failure = aptGetInstall(peer.debianPackages());
        Optional<String> after = peer.unavailableReason().get();
        if (after.isEmpty()) {
            log.info("{} installed", peer.name());
            return after;
        }
        return Optional.of(after.get() + "; apt-get install " + String.join(" ", peer.debianPackages())
                + " did not help" + (failure == null ? "" : " (" + failure + ")"));
    }

    /** @return null on success, else a short reason */
    private String aptGetInstall(List<String> packages) {
        String failure = run(installCommand(packages));
        if (failure == null) {
            return null;
        }
        // The package lists may be missing or stale on a fresh machine.
        String update = run(List.of("apt-get", "update", "-q"));
        return update != null ? update : run(installCommand(packages));
    }

    private static List<String> installCommand(List<String> packages) {
        List<String> command = new ArrayList<>(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends"));
        command.addAll(packages);
        return command;
    }

    private String run(List<String> command) {
        try {
            Files.createDirectories(logDirectory);
            Path output = logDirectory.resolve("apt-get.log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process process = builder.start();
            if (!process.waitFor(APT_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return String.join(" ", command) + " took over " + APT_TIMEOUT_MINUTES + " min";
            }
            return process.exitValue() == 0 ? null
                    : String.join(" ", command) + " exited " + process.exitValue() + ", see " + output;
        } catch (IOException e) {
            return String.join(" ", command) + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .anyMatch(line -> line.split("\\s+")[2].equals("0"));  // effective uid
        } catch (IOException e) {
            return false;
        }
    }
}
