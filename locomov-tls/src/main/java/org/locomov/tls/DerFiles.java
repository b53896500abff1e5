package org.locomov.tls;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;

/**
 * Writes certificates and private keys as DER, the binary form the CC32xx file system and many modems take.
 * Keys come in two forms: the traditional one ({@code RSAPrivateKey} of PKCS#1 for RSA, {@code ECPrivateKey}
 * of SEC1 with its curve and public key for EC), what TI's CC32xx examples flash, and PKCS#8 for stacks that
 * want it (docs/decisions/0801-device-key-der-form.md).
 *
 * <p>Files are created new, never overwritten: an export directory that already holds a key is an operator
 * error to report, not a file to replace. Keys are readable only by their owner (mode 0600).
 */
public final class DerFiles {

    private static final FileAttribute<?>[] OWNER_ONLY = posix()
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
            : new FileAttribute<?>[0];
    private static final FileAttribute<?>[] ALL_READ = posix()
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"))}
            : new FileAttribute<?>[0];

    private DerFiles() {
    }

    /** Writes {@code certificate} as DER (mode 0644). */
    public static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
        try {
            createNew(file, certificate.getEncoded(), ALL_READ);
        } catch (CertificateEncodingException e) {
            throw new IOException("cannot encode " + PemFiles.subject(certificate), e);
        }
    }

    /** Writes {@code key} as traditional DER (PKCS#1 RSA or SEC1 EC, mode 0600); {@code publicKey} is its public half. */
    public static void writeTraditionalKey(Path file, PrivateKey key, PublicKey publicKey) throws IOException {
        createNew(file, traditional(key, publicKey), OWNER_ONLY);
    }

    /** Writes {@code key} as unencrypted PKCS#8 DER (mode 0600). */
    public static void writePkcs8Key(Path file, PrivateKey key) throws IOException {
        createNew(file, key.getEncoded(), OWNER_ONLY);
    }

    /** Like {@link #writePkcs8Key(Path, PrivateKey)}, an EC key with its public point inside ({@link #pkcs8}). */
    public static void writePkcs8Key(Path file, PrivateKey key, PublicKey publicKey) throws IOException {
        createNew(file, pkcs8(key, publicKey), OWNER_ONLY);
    }

    /**
     * PKCS#8 DER of {@code key}; an EC key's inner SEC1 structure carries its public point, which the JDK leaves
     * out and GnuTLS (3.7, libcoap's coap-client-gnutls) cannot load a key without.
     */
    static byte[] pkcs8(PrivateKey key, PublicKey publicKey) throws IOException {
        if (KeyType.of(key) != KeyType.EC) {
            return key.getEncoded();
        }
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
        DERBitString point = new DERBitString(SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()).getPublicKeyData().getOctets());
        return new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), new ECPrivateKey(256, inner.getKey(), point, null))
                .getEncoded();
    }

    /** Writes {@code bytes} to a new file readable only by its owner (for secrets). */
    static void writeSecret(Path file, byte[] bytes) throws IOException {
        createNew(file, bytes, OWNER_ONLY);
    }

    /** The traditional DER encoding of an RSA or EC private key. */
    static byte[] traditional(PrivateKey key, PublicKey publicKey) throws IOException {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        KeyType type = KeyType.of(key);
        if (type == KeyType.RSA) {
            return RSAPrivateKey.getInstance(info.parsePrivateKey()).getEncoded();
        }
        if (type == KeyType.EC) {
            // The JDK's PKCS#8 form keeps the curve outside the inner key; a stand-alone SEC1 key must carry it.
            ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
            ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
            DERBitString point = new DERBitString(SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()).getPublicKeyData().getOctets());
            return new ECPrivateKey(256, inner.getKey(), point, curve).getEncoded();
        }
        throw new IllegalArgumentException("only RSA and EC keys are written as DER, not " + key.getAlgorithm());
    }

    private static void createNew(Path file, byte[] bytes, FileAttribute<?>[] attributes) throws IOException {
        Files.createFile(file, attributes);
        Files.write(file, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
