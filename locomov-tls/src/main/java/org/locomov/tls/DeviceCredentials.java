package org.locomov.tls;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * What one device is flashed with, as {@code device credentials} issues it: a client certificate (CN = the
 * device id) and its private key, a pre-shared key (identity = the device id, for DTLS-PSK) and an access
 * token. The key, PSK and token exist only here and in the files written from here; the database keeps the
 * certificate's fingerprint, the PSK sealed and the token's hash.
 *
 * <p>Immutable apart from the PSK array, which is copied in and out.
 */
public record DeviceCredentials(long deviceId, X509Certificate certificate, PrivateKey key, byte[] psk, String token) {

    public DeviceCredentials {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        psk = Objects.requireNonNull(psk, "psk").clone();
        Objects.requireNonNull(token, "token");
    }

    @Override
    public byte[] psk() {
        return psk.clone();
    }

    /** The PSK as lower-case hex, the form DTLS stacks and {@code coap-client -k} take. */
    public String pskHex() {
        return HexFormat.of().formatHex(psk);
    }

    /**
     * The PSK as the text whose bytes it is (what {@code coap-client -k} takes), when it is printable ASCII:
     * every PSK issued since docs/decisions/1401 is; earlier ones were random bytes, and have no text form.
     */
    public Optional<String> pskText() {
        for (byte b : psk) {
            if (b < 0x21 || b > 0x7e) {
                return Optional.empty();
            }
        }
        return Optional.of(new String(psk, StandardCharsets.US_ASCII));
    }

    /** The PSK identity the device presents: its id, in decimal. */
    public String pskIdentity() {
        return Long.toString(deviceId);
    }

    public KeyType keyType() {
        return KeyType.of(key);
    }

    /** Never the secrets: a record's default would print the key, the PSK and the token. */
    @Override
    public String toString() {
        return "DeviceCredentials[device " + deviceId + ", " + keyType() + " certificate serial "
                + certificate.getSerialNumber().toString(16) + "]";
    }
}
