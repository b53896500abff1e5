package org.locomov.tls;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** SHA-256 fingerprints of certificates and hashes of secrets, as the database keeps them. */
public final class Fingerprints {

    private Fingerprints() {
    }

    /** The SHA-256 of the certificate's DER encoding (what {@code openssl x509 -fingerprint -sha256} shows). */
    public static byte[] sha256(X509Certificate certificate) {
        try {
            return sha256(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode " + PemFiles.subject(certificate), e);
        }
    }

    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Colon-separated upper-case hex, as openssl prints fingerprints. */
    public static String text(byte[] fingerprint) {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(fingerprint);
    }
}
