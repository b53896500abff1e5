package org.locomov.tls;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The key that seals private keys before they go into the shared database: AES-256-GCM, a fresh 96-bit
 * nonce per sealing, and the row's name as associated data (so a sealed key copied to another row does not
 * open). Read from {@code <data-dir>/tls/master.key} (created, mode 0600, on first start) or from the file
 * {@code --tls-master-key-file} names; every node sharing a database needs the same key.
 *
 * <p>The file holds the 32 key bytes in Base64 on one line. {@link #id()} names the key without revealing
 * it (the first 8 bytes of its SHA-256, hex), so a node with another key can say so.
 *
 * <p>Immutable and thread-safe: each call makes its own {@link Cipher}.
 */
public final class MasterKey {

    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String id;

    private MasterKey(byte[] keyBytes) {
        this.key = new SecretKeySpec(keyBytes, "AES");
        try {
            this.id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(keyBytes), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Reads the key in {@code file}, first creating it with a new random key (mode 0600) when
     * {@code createIfMissing} and it does not exist.
     *
     * @throws CertificateFileException when the file is missing (and may not be created) or does not hold a key
     */
    public static MasterKey openOrCreate(Path file, boolean createIfMissing) throws IOException {
        if (!Files.exists(file)) {
            if (!createIfMissing) {
                throw new CertificateFileException("TLS master key file " + file + " does not exist");
            }
            create(file);
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new CertificateFileException("TLS master key file " + file + " is not one line of Base64");
        }
        if (bytes.length != KEY_BYTES) {
            throw new CertificateFileException("TLS master key file " + file + " holds " + bytes.length
                    + " bytes; it must hold " + KEY_BYTES + " (Base64 of 32 random bytes, e.g. 'openssl rand -base64 32')");
        }
        return new MasterKey(bytes);
    }

    private static void create(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path temporary = posix
                ? Files.createTempFile(directory, "master", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(directory, "master", ".tmp");
        try {
            Files.writeString(temporary, Base64.getEncoder().encodeToString(bytes) + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            // A hard link appears whole or not at all, and fails if the file exists: a process on the same data
            // directory that started at the same moment reads either no file or the complete one.
            Files.createLink(file, temporary);
        } catch (FileAlreadyExistsException e) {
            // Another process made it first; use theirs.
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** A key from raw bytes, for tests. */
    static MasterKey of(byte[] keyBytes) {
        if (keyBytes.length != KEY_BYTES) {
            throw new IllegalArgumentException("a master key has " + KEY_BYTES + " bytes");
        }
        return new MasterKey(keyBytes.clone());
    }

    /** Names this key (not secret): the first 8 bytes of its SHA-256, in hex. */
    public String id() {
        return id;
    }

    /** Nonce, then ciphertext and tag, of {@code plaintext} bound to {@code context}. */
    public byte[] seal(byte[] plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this JDK", e);
        }
    }

    /**
     * The plaintext {@link #seal} sealed for {@code context}.
     *
     * @throws SealedKeyException when this key did not seal it for that context, or it was altered
     */
    public byte[] open(byte[] sealed, String context) throws SealedKeyException {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SealedKeyException("the sealed key for " + context + " is too short to be one");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new SealedKeyException("the key for " + context + " was not sealed with master key " + id
                    + " or was altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[" + id + "]";
    }
}
