package org.locomov.particle.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server's side of the Spark handshake, as the recorded session shows it:
 * <ol>
 *   <li>the server sends a 40-byte random nonce;</li>
 *   <li>the device answers with 256 bytes: RSA PKCS#1 v1.5 under the server's 2048-bit key of
 *       nonce ‖ 12-byte device id [‖ its public key DER];</li>
 *   <li>the server answers with 384 bytes: the 40-byte {@link SessionMaterial} under the device's key
 *       (RSA PKCS#1 v1.5, 128 bytes for a Core's 1024-bit key), then the PKCS#1 v1.5 type-1 signature, with
 *       the server key and without a DigestInfo, of HMAC-SHA1(K, those 128 bytes).</li>
 * </ol>
 *
 * <p>Stateless and thread-safe: every call makes its own ciphers.
 */
public final class ParticleHandshake {

    public static final int NONCE_BYTES = 40;
    public static final int DEVICE_ID_BYTES = 12;
    /** The device's message under a 2048-bit server key. */
    public static final int DEVICE_MESSAGE_BYTES = 256;

    private ParticleHandshake() {
    }

    public static byte[] nonce(SecureRandom random) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        return nonce;
    }

    /**
     * Decrypts the device's message with the server key and checks it carries {@code nonce}.
     *
     * @throws HandshakeException when it does not decrypt, is too short, or names another nonce
     */
    public static DeviceHello open(byte[] deviceMessage, byte[] nonce, PrivateKey serverKey) throws HandshakeException {
        byte[] plaintext;
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            rsa.init(Cipher.DECRYPT_MODE, serverKey);
            plaintext = rsa.doFinal(deviceMessage);
        } catch (GeneralSecurityException e) {
            throw new HandshakeException("handshake message does not decrypt with the server key");
        }
        if (plaintext.length < NONCE_BYTES + DEVICE_ID_BYTES) {
            throw new HandshakeException("handshake message holds " + plaintext.length + " bytes, fewer than nonce and id");
        }
        if (!MessageDigest.isEqual(Arrays.copyOf(plaintext, NONCE_BYTES), nonce)) {
            throw new HandshakeException("handshake message carries the wrong nonce");
        }
        String id = DeviceHello.idOf(plaintext, NONCE_BYTES);
        int keyFrom = NONCE_BYTES + DEVICE_ID_BYTES;
        byte[] key = plaintext.length > keyFrom ? Arrays.copyOfRange(plaintext, keyFrom, plaintext.length) : null;
        return new DeviceHello(id, key);
    }

    /** The server's 384-byte (for a Core) reply: K encrypted to the device, then its signed HMAC. */
    public static byte[] reply(SessionMaterial material, PublicKey deviceKey, PrivateKey serverKey) {
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            rsa.init(Cipher.ENCRYPT_MODE, deviceKey);
            byte[] sealed = rsa.doFinal(material.bytes());
            byte[] signature = signature(material, sealed, serverKey);
            byte[] reply = Arrays.copyOf(sealed, sealed.length + signature.length);
            System.arraycopy(signature, 0, reply, sealed.length, signature.length);
            return reply;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal the session material to the device key", e);
        }
    }

    /** HMAC-SHA1 with key K over the sealed material. */
    public static byte[] hmac(SessionMaterial material, byte[] sealedMaterial) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(material.bytes(), "HmacSHA1"));
            return mac.doFinal(sealedMaterial);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no HmacSHA1", e);
        }
    }

    /** The signature of {@link #hmac}: PKCS#1 v1.5 type 1 over the bare 20 bytes ("NONEwithRSA"); deterministic. */
    public static byte[] signature(SessionMaterial material, byte[] sealedMaterial, PrivateKey serverKey) {
        try {
            Signature signer = Signature.getInstance("NONEwithRSA");
            signer.initSign(serverKey);
            signer.update(hmac(material, sealedMaterial));
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the server key", e);
        }
    }

    /** True when {@code signature} is the server's signature of HMAC-SHA1(K, sealed): what a device checks. */
    public static boolean verify(SessionMaterial material, byte[] sealedMaterial, byte[] signature, PublicKey serverKey) {
        try {
            Signature verifier = Signature.getInstance("NONEwithRSA");
            verifier.initVerify(serverKey);
            verifier.update(hmac(material, sealedMaterial));
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
