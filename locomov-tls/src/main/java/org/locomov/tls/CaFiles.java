package org.locomov.tls;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A CA that locomov keeps as two PEM files, a certificate and its key: created (RSA, self-signed) when
 * neither file exists, else read and checked to belong together. A missing half is refused, never
 * silently replaced, since everything the CA signed would stop being trusted. Used by
 * {@link DevelopmentCa} and {@link DeviceCa}, which differ only in names, lifetimes and advice.
 *
 * <p>Stateless; {@link #underLock} serializes creation between threads and processes.
 */
final class CaFiles {

    /** One action on the CA files, run under {@link #underLock}. */
    @FunctionalInterface
    interface LockedAction<T> {
        T run() throws IOException;
    }

    /**
     * A CA certificate and its key.
     *
     * @param created whether the files were just created
     */
    record Material(X509Certificate certificate, PrivateKey key, boolean created) {
    }

    private CaFiles() {
    }

    /**
     * Runs {@code action} holding {@code monitor} (a {@code FileLock} is per process, the monitor is per JVM)
     * and a lock on {@code lockFile} (other processes); the lock is released when the action returns.
     */
    static <T> T underLock(Object monitor, Path lockFile, LockedAction<T> action) throws IOException {
        synchronized (monitor) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                channel.lock();                            // released when the channel closes
                return action.run();
            }
        }
    }

    /**
     * Reads the CA in {@code certificateFile} and {@code keyFile}, or creates it there when neither exists.
     *
     * @param commonName         the new CA's CN
     * @param label              the CA's name in the key-mismatch message ("CA", "device CA")
     * @param missingHalfMessage (present file, missing file) → the message when only one of them exists
     * @throws CertificateFileException when one file is missing, or they do not belong together
     */
    static Material openOrCreate(Path certificateFile, Path keyFile, String commonName, Instant now,
                                 Duration validity, String label, BiFunction<Path, Path, String> missingHalfMessage)
            throws IOException {
        boolean haveCertificate = Files.exists(certificateFile);
        boolean haveKey = Files.exists(keyFile);
        if (!haveCertificate && !haveKey) {
            KeyPair keys = CertificateIssuer.newKeyPair(KeyType.RSA);
            X509Certificate certificate = CertificateIssuer.selfSignedCa(keys, commonName, now, validity);
            PemFiles.writePrivateKey(keyFile, keys.getPrivate());
            PemFiles.writeCertificates(certificateFile, List.of(certificate));
            return new Material(certificate, keys.getPrivate(), true);
        }
        if (!haveCertificate || !haveKey) {
            Path present = haveKey ? keyFile : certificateFile;
            Path missing = haveKey ? certificateFile : keyFile;
            throw new CertificateFileException(missingHalfMessage.apply(present, missing));
        }
        X509Certificate certificate = PemFiles.readCertificates(certificateFile).get(0);
        PrivateKey key = PemFiles.readPrivateKey(keyFile);
        String mismatch = PemFiles.keyMismatch(key, certificate);
        if (mismatch != null) {
            throw new CertificateFileException(label + " key " + keyFile + " does not belong to " + certificateFile
                    + ": " + mismatch);
        }
        return new Material(certificate, key, false);
    }
}
