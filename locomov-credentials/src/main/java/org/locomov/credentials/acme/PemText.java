package org.locomov.credentials.acme;

import org.locomov.tls.CertificateFileException;
import org.locomov.tls.PemFiles;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;

/** Certificate chains as PEM text and private keys as PKCS#8 bytes, for the shared table. Stateless. */
final class PemText {

    private PemText() {
    }

    static String chain(List<X509Certificate> chain) {
        return PemFiles.certificatesPem(chain);
    }

    /** @throws IOException when {@code pem} holds no readable certificate */
    static List<X509Certificate> chain(String pem) throws IOException {
        try {
            return PemFiles.parseCertificates(pem);
        } catch (CertificateFileException e) {
            throw new IOException("unreadable certificate chain: " + e.getMessage(), e);
        }
    }

    /** @throws IOException when {@code pkcs8} is not a key of {@code algorithm} */
    static PrivateKey privateKey(byte[] pkcs8, String algorithm) throws IOException {
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IOException("unreadable " + algorithm + " private key: " + e.getMessage(), e);
        }
    }

    /** A key pair as PEM: the PKCS#8 private key, then the public key. */
    static String keyPair(KeyPair keys) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
            writer.writeObject(keys.getPublic());
        } catch (IOException e) {
            throw new IllegalStateException("writing PEM to memory cannot fail", e);
        }
        return text.toString();
    }

    /** @throws IOException when {@code pem} does not hold a private and a public key */
    static KeyPair keyPair(String pem) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        PrivateKey privateKey = null;
        PublicKey publicKey = null;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PrivateKeyInfo info) {
                    privateKey = converter.getPrivateKey(info);
                } else if (item instanceof SubjectPublicKeyInfo info) {
                    publicKey = converter.getPublicKey(info);
                }
            }
        } catch (RuntimeException e) {
            throw new IOException("unreadable key pair: " + e.getMessage(), e);
        }
        if (privateKey == null || publicKey == null) {
            throw new IOException("the stored key pair lacks its " + (privateKey == null ? "private" : "public") + " key");
        }
        return new KeyPair(publicKey, privateKey);
    }
}
