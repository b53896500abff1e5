package org.locomov.particle.keys;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Device public keys as people and devices hand them over: a PEM ({@code PUBLIC KEY} or PKCS#1
 * {@code RSA PUBLIC KEY}, as {@code particle keys save} and openssl write them) or DER of either form.
 */
public final class RsaKeys {

    private RsaKeys() {
    }

    /** An RSA public key from PEM text or DER bytes. */
    public static java.security.interfaces.RSAPublicKey parsePublic(byte[] pemOrDer) {
        String text = new String(pemOrDer, java.nio.charset.StandardCharsets.US_ASCII);
        byte[] der = pemOrDer;
        if (text.contains("-----BEGIN")) {
            try (PemReader reader = new PemReader(new StringReader(text))) {
                PemObject pem = reader.readPemObject();
                if (pem == null) {
                    throw new IllegalArgumentException("no PEM object in the key file");
                }
                der = pem.getContent();
            } catch (IOException e) {
                throw new IllegalArgumentException("unreadable PEM: " + e.getMessage(), e);
            }
        }
        return fromDer(der);
    }

    /** From SubjectPublicKeyInfo or PKCS#1 RSAPublicKey DER. */
    public static java.security.interfaces.RSAPublicKey fromDer(byte[] der) {
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            try {
                return (java.security.interfaces.RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException notSpki) {
                org.bouncycastle.asn1.pkcs.RSAPublicKey pkcs1 = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(der);
                SubjectPublicKeyInfo info = new SubjectPublicKeyInfo(
                        new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), pkcs1);
                return (java.security.interfaces.RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(info.getEncoded()));
            }
        } catch (GeneralSecurityException | IOException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("not an RSA public key (PEM or DER): " + e.getMessage(), e);
        }
    }

    /** A key as it is stored: SubjectPublicKeyInfo DER. */
    public static byte[] spki(PublicKey key) {
        return key.getEncoded();
    }

    public static int bits(java.security.interfaces.RSAPublicKey key) {
        return key.getModulus().bitLength();
    }
}
