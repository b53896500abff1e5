package org.locomov.particle.coap;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One CoAP option: its number and raw value. The value stays bytes: the Spark protocol puts binary data
 * (a chunk's CRC-32) in a Uri-Query, which a text-typed option would corrupt.
 */
public record CoapOption(int number, byte[] value) {

    public static final int URI_PATH = 11;
    public static final int URI_QUERY = 15;
    public static final int MAX_AGE = 14;

    public CoapOption {
        if (number < 0 || number > 65_535) {
            throw new IllegalArgumentException("option number out of range: " + number);
        }
        value = Objects.requireNonNull(value, "value").clone();
    }

    public static CoapOption uriPath(String segment) {
        return new CoapOption(URI_PATH, segment.getBytes(StandardCharsets.UTF_8));
    }

    public static CoapOption uriQuery(byte[] value) {
        return new CoapOption(URI_QUERY, value);
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    public String text() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CoapOption that && number == that.number && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return 31 * number + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return number + "=" + HexFormat.of().formatHex(value);
    }
}
