package org.locomov.bench;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.locomov.tls.DeviceCredentials;

/**
 * A simulated CoAP device's DTLS pre-shared key: the identity it sends and the key behind it.
 *
 * @param deviceId the device's {@code pub_id} (for thread names and reports)
 * @param identity the PSK identity, as {@code device credentials} prints it
 * @param key      the key bytes
 */
record DtlsPsk(long deviceId, String identity, byte[] key) {

    private static final SecureRandom RANDOM = new SecureRandom();

    DtlsPsk {
        Objects.requireNonNull(identity, "identity");
        key = key.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    /** The PSK locomov issued to a device. */
    static DtlsPsk of(DeviceCredentials credentials) {
        return new DtlsPsk(credentials.deviceId(), credentials.pskIdentity(), credentials.psk());
    }

    /**
     * Keys of the same shape as locomov's (43 printable characters, decision 1401) for {@code count} devices from
     * {@code firstId}, for a server that does not look them up in a database (the bare Californium server).
     */
    static List<DtlsPsk> random(long firstId, int count) {
        List<DtlsPsk> keys = new ArrayList<>(count);
        for (long id = firstId; id < firstId + count; id++) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            keys.add(new DtlsPsk(id, Long.toString(id),
                    Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).getBytes(StandardCharsets.US_ASCII)));
        }
        return keys;
    }

    /** One line of a key file: identity, a tab, the key in hex (see {@link #parse}). */
    String line() {
        return identity + '\t' + HexFormat.of().formatHex(key);
    }

    static DtlsPsk parse(String line) {
        String[] fields = line.split("\t");
        if (fields.length != 2) {
            throw new IllegalArgumentException("a key line is IDENTITY<TAB>HEX, got " + fields.length + " fields");
        }
        return new DtlsPsk(0, fields[0], HexFormat.of().parseHex(fields[1]));
    }

    @Override
    public String toString() {
        return "DtlsPsk[" + identity + "]";  // never the key
    }
}
