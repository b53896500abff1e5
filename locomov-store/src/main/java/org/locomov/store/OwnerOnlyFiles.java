package org.locomov.store;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories only their owner may read: the data directory (its logs name devices and peers),
 * the embedded PostgreSQL's files and its password. On a file system without POSIX permissions the calls
 * still create and write, and leave access to the platform's defaults.
 *
 * <p>Stateless; safe from any thread.
 */
public final class OwnerOnlyFiles {

    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private OwnerOnlyFiles() {
    }

    /**
     * Creates {@code directory} (and missing parents) or, when it exists, takes group and other access away
     * from it, so that an older locomov's world-readable directory is closed at the next start.
     */
    public static Path directory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            if (POSIX) {
                Files.setPosixFilePermissions(directory, DIRECTORY);
            }
            return directory;
        }
        Files.createDirectories(directory.toAbsolutePath().getParent());
        if (POSIX) {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(DIRECTORY));
        } else {
            Files.createDirectory(directory);
        }
        return directory;
    }

    /**
     * Writes {@code content} to {@code file}, readable and writable by its owner only from the moment it
     * exists: written beside it under those permissions, then moved over it.
     */
    public static void write(Path file, String content) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        FileAttribute<?>[] attributes = POSIX
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
                : new FileAttribute<?>[0];
        Files.createFile(temporary, attributes);
        Files.writeString(temporary, content);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Takes group and other access away from an existing {@code file}. */
    public static void restrict(Path file) throws IOException {
        if (POSIX && Files.exists(file)) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }
}
