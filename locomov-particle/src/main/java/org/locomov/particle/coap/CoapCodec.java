package org.locomov.particle.coap;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes and decodes CoAP messages (RFC 7252 §3) byte for byte as the Spark protocol carries them.
 * Written here rather than taken from Californium, whose option set holds Uri-Query as text (the protocol's
 * chunk CRC is four raw bytes there) and which refuses the empty ACK with a token that the original server
 * sends to a ping; see docs/decisions/1000.
 *
 * <p>Stateless and thread-safe.
 */
public final class CoapCodec {

    private static final int VERSION = 1;
    private static final int PAYLOAD_MARKER = 0xFF;

    private CoapCodec() {
    }

    /** The wire bytes of {@code message}. */
    public static byte[] encode(CoapMessage message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + message.payloadLength());
        byte[] token = message.token();
        out.write(VERSION << 6 | message.type().ordinal() << 4 | token.length);
        out.write(message.code());
        out.write(message.messageId() >> 8);
        out.write(message.messageId() & 0xFF);
        out.writeBytes(token);
        int previous = 0;
        for (CoapOption option : message.options()) {
            byte[] value = option.value();
            int delta = option.number() - previous;
            previous = option.number();
            out.write(nibble(delta) << 4 | nibble(value.length));
            extended(out, delta);
            extended(out, value.length);
            out.writeBytes(value);
        }
        byte[] payload = message.payload();
        if (payload.length > 0) {
            out.write(PAYLOAD_MARKER);
            out.writeBytes(payload);
        }
        return out.toByteArray();
    }

    private static int nibble(int value) {
        return value < 13 ? value : value < 269 ? 13 : 14;
    }

    private static void extended(ByteArrayOutputStream out, int value) {
        if (value >= 269) {
            out.write((value - 269) >> 8);
            out.write((value - 269) & 0xFF);
        } else if (value >= 13) {
            out.write(value - 13);
        }
    }

    /**
     * The message in {@code bytes}.
     *
     * @throws MalformedMessageException when they are not one well-formed CoAP message
     */
    public static CoapMessage decode(byte[] bytes) throws MalformedMessageException {
        if (bytes.length < 4) {
            throw new MalformedMessageException("a CoAP message has at least 4 bytes, this one " + bytes.length);
        }
        int first = bytes[0] & 0xFF;
        if (first >> 6 != VERSION) {
            throw new MalformedMessageException("CoAP version " + (first >> 6) + " is not 1");
        }
        int tokenLength = first & 0x0F;
        if (tokenLength > 8) {
            throw new MalformedMessageException("token length " + tokenLength + " is over 8");
        }
        int code = bytes[1] & 0xFF;
        int messageId = (bytes[2] & 0xFF) << 8 | bytes[3] & 0xFF;
        int at = 4;
        if (at + tokenLength > bytes.length) {
            throw new MalformedMessageException("the token runs past the end of the message");
        }
        byte[] token = Arrays.copyOfRange(bytes, at, at + tokenLength);
        at += tokenLength;
        List<CoapOption> options = new ArrayList<>();
        int number = 0;
        byte[] payload = new byte[0];
        while (at < bytes.length) {
            int header = bytes[at++] & 0xFF;
            if (header == PAYLOAD_MARKER) {
                if (at == bytes.length) {
                    throw new MalformedMessageException("a payload marker with no payload after it");
                }
                payload = Arrays.copyOfRange(bytes, at, bytes.length);
                break;
            }
            int[] cursor = {at};
            int delta = extendedValue(header >> 4, bytes, cursor);
            int length = extendedValue(header & 0x0F, bytes, cursor);
            at = cursor[0];
            if (at + length > bytes.length) {
                throw new MalformedMessageException("an option runs past the end of the message");
            }
            number += delta;
            if (number > 65_535) {
                throw new MalformedMessageException("option number over 65535");
            }
            options.add(new CoapOption(number, Arrays.copyOfRange(bytes, at, at + length)));
            at += length;
        }
        return new CoapMessage(CoapType.of(first >> 4), code, messageId, token, options, payload);
    }

    private static int extendedValue(int nibble, byte[] bytes, int[] cursor) throws MalformedMessageException {
        if (nibble < 13) {
            return nibble;
        }
        if (nibble == 15) {
            throw new MalformedMessageException("option nibble 15 outside a payload marker");
        }
        int size = nibble == 13 ? 1 : 2;
        if (cursor[0] + size > bytes.length) {
            throw new MalformedMessageException("an option header runs past the end of the message");
        }
        int value = bytes[cursor[0]] & 0xFF;
        if (size == 2) {
            value = value << 8 | bytes[cursor[0] + 1] & 0xFF;
        }
        cursor[0] += size;
        return nibble == 13 ? value + 13 : value + 269;
    }
}
