package org.locomov.store;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes for users' passwords (the Particle API's password grant): PBKDF2 with HMAC-SHA-512 from the
 * JDK, {@value #ITERATIONS} iterations (OWASP's figure for this function), a 16-byte random salt, a 64-byte
 * hash, written {@code pbkdf2-sha512$ITERATIONS$SALT$HASH} (base64) so that the work factor can be raised
 * later without invalidating stored hashes (docs/decisions/1020-user-passwords.md).
 *
 * <p>Thread-safe: the {@link SecureRandom} is thread-safe, everything else is per call.
 */
final class PasswordHashes {

    static final int ITERATIONS = 210_000;
    /** Longer passwords are refused: PBKDF2's cost grows with nothing but the iterations, not worth a DoS. */
    static final int MAX_PASSWORD_LENGTH = 1_024;
    static final int MIN_PASSWORD_LENGTH = 8;
    private static final String SCHEME = "pbkdf2-sha512";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 512;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    /** Hashed when a user is unknown or has no password, so that the answer takes as long as for a real one. */
    private static final String DECOY;

    static {
        char[] decoy = "decoy-password".toCharArray();
        DECOY = hash(decoy, new SecureRandom());
    }

    private PasswordHashes() {
    }

    static String hash(char[] password, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return SCHEME + "$" + ITERATIONS + "$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(pbkdf2(password, salt, ITERATIONS));
    }

    /** Whether {@code password} matches {@code stored}; a null or unreadable {@code stored} never matches (and costs as much). */
    static boolean matches(char[] password, String stored) {
        String[] parts = (stored == null ? DECOY : stored).split("\\$");
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            matches(password, DECOY);
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            boolean equal = MessageDigest.isEqual(expected, pbkdf2(password, salt, iterations));
            return equal && stored != null;
        } catch (IllegalArgumentException unreadable) {
            return false;
        }
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has PBKDF2WithHmacSHA512", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** Why {@code password} cannot be set, or null when it can. */
    static String problem(char[] password) {
        if (password.length < MIN_PASSWORD_LENGTH) {
            return "a password must have at least " + MIN_PASSWORD_LENGTH + " characters";
        }
        if (password.length > MAX_PASSWORD_LENGTH) {
            return "a password must have at most " + MAX_PASSWORD_LENGTH + " characters";
        }
        return null;
    }

    static void wipe(char[] password) {
        Arrays.fill(password, '\0');
    }
}
