package org.locomov.particle.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One direction of a Spark session: AES-128-CBC with PKCS#7 padding, where each message's IV is the first
 * 16 bytes of that direction's previous ciphertext (not the last block, as plain CBC chaining would have it;
 * seven of the recorded frames show the difference).
 *
 * <p>Not thread-safe: one per direction of one connection, used on its event loop.
 */
public final class CipherChain {

    private final SecretKeySpec key;
    private final Cipher cipher;
    private byte[] iv;

    public CipherChain(byte[] aesKey, byte[] firstIv) {
        if (aesKey.length != 16 || firstIv.length != 16) {
            throw new IllegalArgumentException("AES-128 key and IV are 16 bytes each");
        }
        this.key = new SecretKeySpec(aesKey.clone(), "AES");
        this.iv = firstIv.clone();
        try {
            this.cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES/CBC/PKCS5Padding", e);
        }
    }

    /** The IV the next message will use. */
    public byte[] nextIv() {
        return iv.clone();
    }

    public byte[] encrypt(byte[] plaintext) {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            byte[] ciphertext = cipher.doFinal(plaintext);
            iv = Arrays.copyOf(ciphertext, 16);
            return ciphertext;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES encryption failed", e);
        }
    }

    /**
     * The plaintext of {@code ciphertext}.
     *
     * @throws UndecryptableException when it is not a whole number of blocks or its padding is wrong
     */
    public byte[] decrypt(byte[] ciphertext) throws UndecryptableException {
        if (ciphertext.length == 0 || ciphertext.length % 16 != 0) {
            throw new UndecryptableException("ciphertext of " + ciphertext.length + " bytes is not whole AES blocks");
        }
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(iv));
            byte[] plaintext = cipher.doFinal(ciphertext);
            iv = Arrays.copyOf(ciphertext, 16);
            return plaintext;
        } catch (GeneralSecurityException e) {
            throw new UndecryptableException("message does not decrypt with the session key (bad padding)");
        }
    }
}
