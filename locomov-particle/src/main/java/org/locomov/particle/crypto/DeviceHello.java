package org.locomov.particle.crypto;

import java.util.HexFormat;
import java.util.Objects;

/**
 * What a device's handshake message says once decrypted: its 12-byte id (24 hex digits) and, from Photons
 * and later firmware, its public key (SubjectPublicKeyInfo or PKCS#1 DER) after the id; {@code null} when
 * it sent none (a Spark Core).
 */
public record DeviceHello(String deviceId, byte[] publicKeyDer) {

    public DeviceHello {
        Objects.requireNonNull(deviceId, "deviceId");
        publicKeyDer = publicKeyDer == null ? null : publicKeyDer.clone();
    }

    static String idOf(byte[] plaintext, int from) {
        return HexFormat.of().formatHex(plaintext, from, from + ParticleHandshake.DEVICE_ID_BYTES);
    }
}
