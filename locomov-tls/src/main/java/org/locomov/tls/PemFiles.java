package org.locomov.tls;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes PEM certificate chains and private keys.
 *
 * <p>Reading accepts what operators have: chains leaf first (certificate, intermediates, optionally the
 * root) and unencrypted private keys as PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY})
 * or SEC1 ({@code EC PRIVATE KEY}, with or without an {@code EC PARAMETERS} block). Writing produces
 * PKCS#8 keys readable only by their owner (mode 0600 where the file system has POSIX permissions),
 * and replaces files atomically so that a process reading them never sees half a file.
 */
public final class PemFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_WRITE_ALL_READ = PosixFilePermissions.fromString("rw-r--r--");

    private PemFiles() {
    }

    /** Every certificate in {@code file}, in file order; refuses a file with none. */
    public static List<X509Certificate> readCertificates(Path file) throws CertificateFileException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            return parseCertificates(reader, "certificate file " + file);
        } catch (NoSuchFileException e) {
            throw new CertificateFileException("certificate file " + file + " does not exist");
        } catch (IOException e) {
            throw new CertificateFileException("cannot read certificates from " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every certificate in PEM {@code text}, in order; refuses text with none. */
    public static List<X509Certificate> parseCertificates(String text) throws CertificateFileException {
        return parseCertificates(new StringReader(text), "the PEM text");
    }

    private static List<X509Certificate> parseCertificates(Reader reader, String source) throws CertificateFileException {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new CertificateFileException("cannot read certificates from " + source + ": " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new CertificateFileException(source
                    + " holds no certificate (expected PEM blocks '-----BEGIN CERTIFICATE-----')");
        }
        return List.copyOf(certificates);
    }

    /** The first private key in {@code file}; refuses encrypted keys and files without a key. */
    public static PrivateKey readPrivateKey(Path file) throws CertificateFileException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PEMKeyPair pair) {                  // PKCS#1 RSA, SEC1 EC
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (item instanceof PrivateKeyInfo info) {              // PKCS#8
                    return converter.getPrivateKey(info);
                }
                if (item instanceof PEMEncryptedKeyPair || item instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new CertificateFileException("private key file " + file + " is encrypted;"
                            + " locomov needs an unencrypted key (protect it with file permissions, mode 0600)");
                }
                // Anything else (EC PARAMETERS, certificates) is not the key: keep looking.
            }
        } catch (CertificateFileException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new CertificateFileException("private key file " + file + " does not exist");
        } catch (IOException | RuntimeException e) {
            throw new CertificateFileException("cannot read a private key from " + file + ": " + e.getMessage(), e);
        }
        throw new CertificateFileException("private key file " + file + " holds no private key (expected PEM"
                + " 'PRIVATE KEY', 'RSA PRIVATE KEY' or 'EC PRIVATE KEY')");
    }

    /**
     * Loads a server's chain (leaf first) and key, refusing with a message that names the files: a key
     * that does not belong to the leaf, an empty chain, a chain whose certificates are not each issued
     * by the next.
     */
    public static ServerCertificate loadServerCertificate(Path chainFile, Path keyFile) throws CertificateFileException {
        List<X509Certificate> chain = readCertificates(chainFile);
        PrivateKey key = readPrivateKey(keyFile);
        String chainProblem = chainOrderProblem(chain);
        if (chainProblem != null) {
            throw new CertificateFileException("certificate chain " + chainFile + " is out of order: " + chainProblem
                    + "; list the server certificate first, then each issuer in turn");
        }
        String keyProblem = keyMismatch(key, chain.get(0));
        if (keyProblem != null) {
            throw new CertificateFileException("private key " + keyFile + " does not belong to the certificate "
                    + subject(chain.get(0)) + " in " + chainFile + ": " + keyProblem);
        }
        try {
            return new ServerCertificate(key, chain);
        } catch (IllegalArgumentException e) {
            throw new CertificateFileException(chainFile + " with " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code chain} as PEM certificates, in order, replacing {@code file} atomically (mode 0644). */
    public static void writeCertificates(Path file, List<X509Certificate> chain) throws IOException {
        writeAtomically(file, certificatesPem(chain), OWNER_WRITE_ALL_READ);
    }

    /** {@code chain} as PEM text, in order. */
    public static String certificatesPem(List<X509Certificate> chain) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (X509Certificate certificate : chain) {
                writer.writeObject(certificate);
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing PEM to memory cannot fail", e);
        }
        return text.toString();
    }

    /**
     * Like {@link #writePrivateKey(Path, PrivateKey)}, an EC key with its public point inside, which some TLS
     * libraries (GnuTLS 3.7) need (device credential files).
     */
    public static void writePrivateKey(Path file, PrivateKey key, PublicKey publicKey) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new PemObject("PRIVATE KEY", DerFiles.pkcs8(key, publicKey)));
        }
        writeAtomically(file, text.toString(), OWNER_ONLY);
    }

    /** Writes {@code key} as an unencrypted PKCS#8 PEM file readable only by its owner (mode 0600). */
    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        }
        writeAtomically(file, text.toString(), OWNER_ONLY);
    }

    /**
     * Why {@code chain} is not in order (each certificate issued by the next), or {@code null} when it is.
     * Package-private: {@link DevelopmentCa} checks its own files with it.
     */
    static String chainOrderProblem(List<X509Certificate> chain) {
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate certificate = chain.get(i);
            X509Certificate issuer = chain.get(i + 1);
            if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
                    || !signedBy(certificate, issuer)) {
                return "certificate " + (i + 1) + " (" + subject(certificate) + ", issued by "
                        + certificate.getIssuerX500Principal().getName() + ") is not signed by certificate "
                        + (i + 2) + " (" + subject(issuer) + ")";
            }
        }
        return null;
    }

    /** Why {@code key} is not the private half of {@code certificate}'s public key, or {@code null} when it is. */
    public static String keyMismatch(PrivateKey key, X509Certificate certificate) {
        KeyType keyType = KeyType.of(key);
        KeyType certificateType = KeyType.of(certificate.getPublicKey());
        if (keyType == null || keyType != certificateType) {
            return "the key is " + key.getAlgorithm() + ", the certificate's key is "
                    + certificate.getPublicKey().getAlgorithm();
        }
        // Signing and verifying a challenge works for every key type without comparing key internals.
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(keyType.signatureAlgorithm());
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(keyType.signatureAlgorithm());
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature) ? null : "a signature made with the key does not verify with the certificate";
        } catch (GeneralSecurityException e) {
            return "cannot sign with the key: " + e.getMessage();
        }
    }

    public static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static void writeAtomically(Path file, String content, Set<PosixFilePermission> permissions)
            throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
        // Created with its final permissions, so a key is never readable by others, not even briefly.
        Path temporary = Files.createTempFile(directory, file.getFileName().toString(), ".tmp", attributes);
        try {
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.US_ASCII)) {
                writer.write(content);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
