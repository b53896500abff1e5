package org.locomov.particle.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * The 40 bytes of session material K the server picks in the handshake: AES-128 key K[0..15], the first IV
 * K[16..31], and the salt K[32..39] from which the device derives its first message id and token.
 */
public final class SessionMaterial {

    public static final int LENGTH = 40;

    private final byte[] bytes;

    private SessionMaterial(byte[] bytes) {
        this.bytes = bytes;
    }

    public static SessionMaterial of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("session material is " + LENGTH + " bytes, was " + bytes.length);
        }
        return new SessionMaterial(bytes.clone());
    }

    public static SessionMaterial random(SecureRandom random) {
        byte[] bytes = new byte[LENGTH];
        random.nextBytes(bytes);
        return new SessionMaterial(bytes);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public byte[] aesKey() {
        return Arrays.copyOfRange(bytes, 0, 16);
    }

    public byte[] iv() {
        return Arrays.copyOfRange(bytes, 16, 32);
    }

    public byte[] salt() {
        return Arrays.copyOfRange(bytes, 32, 40);
    }

    /** The message id of the device's Hello: (K[32] << 8 | K[33]) + 1, as the Core computes it. */
    public int deviceFirstMessageId() {
        return (((bytes[32] & 0xFF) << 8 | bytes[33] & 0xFF) + 1) & 0xFFFF;
    }

    /** The first token the device picks: K[34] + 1. */
    public int deviceFirstToken() {
        return ((bytes[34] & 0xFF) + 1) & 0xFF;
    }

    /** A cipher chain for one direction, starting at the material's IV. */
    public CipherChain chain() {
        return new CipherChain(aesKey(), iv());
    }
}
