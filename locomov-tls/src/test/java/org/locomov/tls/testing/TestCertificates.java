package org.locomov.tls.testing;

import org.locomov.tls.DevelopmentCa;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Certificates for tests of every module: one development CA per JVM, in a temporary directory that is
 * deleted when the JVM exits. Its server certificates carry localhost, 127.0.0.1 and ::1; clients trust
 * {@code shared().caCertificateFile()}.
 *
 * <p>Thread-safety: {@link #shared()} is initialised once, lazily, by the class-holder idiom.
 */
public final class TestCertificates {

    private TestCertificates() {
    }

    private static final class Holder {
        static final DevelopmentCa CA = create();
    }

    /** The JVM's test CA, created on first use. */
    public static DevelopmentCa shared() {
        return Holder.CA;
    }

    private static DevelopmentCa create() {
        try {
            Path dir = Files.createTempDirectory("locomov-test-ca");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir), "delete-test-ca"));
            return DevelopmentCa.openOrCreate(dir, List.of("localhost"), List.of("127.0.0.1", "::1"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the test CA", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // Best effort at exit: the directory is under the system's temporary directory anyway.
        }
    }
}
