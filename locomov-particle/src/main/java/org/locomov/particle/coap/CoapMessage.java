package org.locomov.particle.coap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One CoAP message as the Spark protocol carries it inside its AES frames (RFC 7252 §3, without UDP):
 * type, code ({@code class << 5 | detail}), message id, token (0 to 8 bytes), options in ascending number
 * order, payload. Immutable.
 */
public record CoapMessage(CoapType type, int code, int messageId, byte[] token, List<CoapOption> options,
        byte[] payload) {

    public static final int EMPTY = 0x00;
    public static final int GET = 0x01;
    public static final int POST = 0x02;
    public static final int PUT = 0x03;
    public static final int CHANGED = 0x44;   // 2.04
    public static final int CONTENT = 0x45;   // 2.05
    public static final int BAD_REQUEST = 0x80; // 4.00
    public static final int NOT_FOUND = 0x84;   // 4.04

    public CoapMessage {
        Objects.requireNonNull(type, "type");
        if (code < 0 || code > 255) {
            throw new IllegalArgumentException("code out of range: " + code);
        }
        if (messageId < 0 || messageId > 0xFFFF) {
            throw new IllegalArgumentException("message id out of range: " + messageId);
        }
        token = Objects.requireNonNull(token, "token").clone();
        if (token.length > 8) {
            throw new IllegalArgumentException("a token is at most 8 bytes, was " + token.length);
        }
        options = List.copyOf(options);
        for (int i = 1; i < options.size(); i++) {
            if (options.get(i).number() < options.get(i - 1).number()) {
                throw new IllegalArgumentException("options must be in ascending number order");
            }
        }
        payload = Objects.requireNonNull(payload, "payload").clone();
    }

    @Override
    public byte[] token() {
        return token.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The token as an unsigned number (the protocol's tokens are one byte), -1 when there is none. */
    public int tokenValue() {
        if (token.length == 0) {
            return -1;
        }
        int value = 0;
        for (byte b : token) {
            value = value << 8 | (b & 0xFF);
        }
        return value;
    }

    public int payloadLength() {
        return payload.length;
    }

    /** The Uri-Path segments, e.g. {@code [e, reading]}. */
    public List<String> path() {
        List<String> path = new ArrayList<>();
        for (CoapOption option : options) {
            if (option.number() == CoapOption.URI_PATH) {
                path.add(option.text());
            }
        }
        return path;
    }

    /** The first segment of the path ({@code h}, {@code e}, {@code f}, ...), or "" when there is none. */
    public String resource() {
        List<String> path = path();
        return path.isEmpty() ? "" : path.get(0);
    }

    /** The first Uri-Query's raw value, or {@code null}. */
    public byte[] query() {
        for (CoapOption option : options) {
            if (option.number() == CoapOption.URI_QUERY) {
                return option.value();
            }
        }
        return null;
    }

    /** The first option of {@code number}, or {@code null}. */
    public CoapOption option(int number) {
        for (CoapOption option : options) {
            if (option.number() == number) {
                return option;
            }
        }
        return null;
    }

    public boolean isRequest() {
        return code >= 1 && code <= 31;
    }

    public boolean isResponse() {
        return code >= 64;
    }

    /** {@code 2.05} style. */
    public static String codeText(int code) {
        return (code >> 5) + "." + String.format("%02d", code & 0x1F);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CoapMessage that && type == that.type && code == that.code
                && messageId == that.messageId && Arrays.equals(token, that.token) && options.equals(that.options)
                && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, code, messageId, Arrays.hashCode(token), options, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return type + " " + codeText(code) + " mid=" + messageId + " token=" + HexFormat.of().formatHex(token)
                + " path=" + path() + " payload=" + payload.length + "B";
    }
}
