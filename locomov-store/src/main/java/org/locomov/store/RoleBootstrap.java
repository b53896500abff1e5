package org.locomov.store;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Gives the embedded PostgreSQL its password-protected role before the server listens: PostgreSQL is
 * run once in single-user mode on the data directory (no network, no socket), which sets role
 * {@value EmbeddedCredentials#ROLE}'s password and closes the old {@code postgres} login. Done this way
 * no moment exists, not even on the first start or an upgrade, at which the server accepts a login
 * without a password.
 *
 * <p>The PostgreSQL binaries are those zonky unpacked under its working directory; of those there, one
 * whose major version matches the data directory's {@code PG_VERSION} is used.
 */
final class RoleBootstrap {

    private static final long TIMEOUT_SECONDS = 120;

    private RoleBootstrap() {
    }

    /** zonky's working directory, as zonky itself chooses it; passed to zonky so both agree. */
    static Path workingDirectory() {
        return Path.of(System.getProperty("ot.epg.working-dir",
                Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString()));
    }

    static void run(Path pgData, EmbeddedCredentials credentials) throws IOException {
        Path postgres = postgresBinary(pgData);
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U")); // as zonky does: PostgreSQL refuses to run as root
        }
        command.addAll(List.of(postgres.toString(), "--single", "-D", pgData.toString(), "-F",
                "-c", "listen_addresses=", "-c", "unix_socket_directories=", "-c", "logging_collector=off",
                "-c", "password_encryption=scram-sha-256", "postgres"));
        // One statement per line (single-user mode ends a statement at a newline). The password is
        // Base64url, so it needs no quoting; it is hashed (SCRAM) before it is stored.
        String script = """
                DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%1$s') THEN CREATE ROLE %1$s; END IF; END$$;
                ALTER ROLE %1$s WITH SUPERUSER LOGIN PASSWORD '%2$s';
                DO $$BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'postgres') AND '%1$s' <> 'postgres' THEN ALTER ROLE postgres NOLOGIN PASSWORD NULL; END IF; END$$;
                """.formatted(credentials.role(), credentials.password());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(script.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("PostgreSQL in single-user mode did not finish within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while setting the embedded PostgreSQL's password");
        }
        if (process.exitValue() != 0 || output.contains("ERROR:") || output.contains("FATAL:")) {
            throw new IOException("could not set the embedded PostgreSQL's password (single-user mode, exit "
                    + process.exitValue() + "): " + output.replace(credentials.password(), "***").strip());
        }
    }

    private static Path postgresBinary(Path pgData) throws IOException {
        String major = Files.readString(pgData.resolve("PG_VERSION"), StandardCharsets.US_ASCII).strip();
        try (Stream<Path> unpacked = Files.list(workingDirectory())) {
            for (Path candidate : unpacked.filter(dir -> dir.getFileName().toString().startsWith("PG-")
                    && Files.exists(dir.resolve(".exists"))).map(dir -> dir.resolve("bin/postgres")).toList()) {
                if (Files.isExecutable(candidate) && majorVersion(candidate).equals(major)) {
                    return candidate;
                }
            }
        }
        throw new IOException("no PostgreSQL " + major + " binaries under " + workingDirectory()
                + " for the data in " + pgData);
    }

    /** "17" from {@code postgres (PostgreSQL) 17.11}. */
    private static String majorVersion(Path postgres) throws IOException {
        Process process = new ProcessBuilder(postgres.toString(), "--version").redirectErrorStream(true).start();
        String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        String number = version.substring(version.lastIndexOf(' ') + 1);
        int dot = number.indexOf('.');
        return dot < 0 ? number : number.substring(0, dot);
    }
}
