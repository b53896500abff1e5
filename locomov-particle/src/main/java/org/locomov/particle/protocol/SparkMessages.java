package org.locomov.particle.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.locomov.particle.coap.CoapMessage;
import org.locomov.particle.coap.CoapOption;
import org.locomov.particle.coap.CoapType;

/**
 * The messages of the Spark protocol, both directions, as the recorded session shows them byte for byte.
 * Resources: {@code /h} Hello, {@code /d} Describe, {@code /f/NAME} function, {@code /v/NAME} variable,
 * {@code /e/NAME} public and {@code /E/NAME} private event, {@code /t} time, {@code /s} signal,
 * {@code /u} UpdateBegin (POST) and UpdateDone (PUT), {@code /c} chunk (POST) and ChunkMissed (GET).
 */
public final class SparkMessages {

    private static final byte[] NONE = new byte[0];

    private SparkMessages() {
    }

    public static byte[] token(int value) {
        return new byte[] {(byte) value};
    }

    private static CoapMessage message(CoapType type, int code, int messageId, byte[] token, byte[] payload,
            CoapOption... options) {
        return new CoapMessage(type, code, messageId, token, List.of(options), payload);
    }

    private static CoapOption path(String segment) {
        return CoapOption.uriPath(segment);
    }

    // ---- server to device ----

    /** NON POST /h with the server's first token: the server's Hello. */
    public static CoapMessage serverHello(int messageId, int token) {
        return message(CoapType.NON, CoapMessage.POST, messageId, token(token), NONE, path("h"));
    }

    /** CON GET /d: asks the device for its functions and variables. */
    public static CoapMessage describe(int messageId, int token) {
        return message(CoapType.CON, CoapMessage.GET, messageId, token(token), NONE, path("d"));
    }

    /** CON POST /f/NAME with the argument in a Uri-Query. */
    public static CoapMessage functionCall(int messageId, int token, String function, String argument) {
        return message(CoapType.CON, CoapMessage.POST, messageId, token(token), NONE, path("f"), path(function),
                CoapOption.uriQuery(argument.getBytes(StandardCharsets.UTF_8)));
    }

    /** CON GET /v/NAME. */
    public static CoapMessage variableRequest(int messageId, int token, String variable) {
        return message(CoapType.CON, CoapMessage.GET, messageId, token(token), NONE, path("v"), path(variable));
    }

    /** The piggybacked ACK 2.05 to a time request: 4-byte big-endian Unix seconds. */
    public static CoapMessage timeResponse(CoapMessage request, long unixSeconds) {
        return message(CoapType.ACK, CoapMessage.CONTENT, request.messageId(), request.token(),
                ByteBuffer.allocate(4).putInt((int) unixSeconds).array());
    }

    /** The ACK to a ping, with the one-byte token 00 the original server and the Core use. */
    public static CoapMessage pingAck(CoapMessage ping) {
        return message(CoapType.ACK, CoapMessage.EMPTY, ping.messageId(), token(0), NONE);
    }

    /** An ACK of {@code code} to {@code request} with token 00 (the original server's EventSlowdown is 4.00). */
    public static CoapMessage ackWithZeroToken(CoapMessage request, int code) {
        return message(CoapType.ACK, code, request.messageId(), token(0), NONE);
    }

    /** An empty ACK (no token): how a CON that needs no data back is acknowledged. */
    public static CoapMessage emptyAck(CoapMessage request) {
        return message(CoapType.ACK, CoapMessage.EMPTY, request.messageId(), NONE, NONE);
    }

    /** CON POST /u: UpdateBegin with flags 0, chunk size, file size, destination 0, address 0 (12 bytes). */
    public static CoapMessage updateBegin(int messageId, int token, int chunkSize, int fileSize) {
        byte[] payload = ByteBuffer.allocate(12).put((byte) 0).putShort((short) chunkSize).putInt(fileSize)
                .put((byte) 0).putInt(0).array();
        return message(CoapType.CON, CoapMessage.POST, messageId, token(token), payload, path("u"));
    }

    /** CON POST /c: one chunk, its CRC-32 as four raw bytes in a Uri-Query. */
    public static CoapMessage chunk(int messageId, int token, long crc32, byte[] chunk) {
        byte[] crc = ByteBuffer.allocate(4).putInt((int) crc32).array();
        return message(CoapType.CON, CoapMessage.POST, messageId, token(token), chunk, path("c"),
                CoapOption.uriQuery(crc));
    }

    /** CON PUT /u: the image is complete. */
    public static CoapMessage updateDone(int messageId, int token) {
        return message(CoapType.CON, CoapMessage.PUT, messageId, token(token), NONE, path("u"));
    }

    /** CON PUT /s with a one-byte Uri-Query: 1 starts the device's rainbow LED, 0 stops it. */
    public static CoapMessage signal(int messageId, int token, boolean on) {
        return message(CoapType.CON, CoapMessage.PUT, messageId, token(token), NONE, path("s"),
                CoapOption.uriQuery(new byte[] {(byte) (on ? 1 : 0)}));
    }

    /** NON POST /e/NAME (or /E/NAME, private): an event for the device (one it subscribed to). */
    public static CoapMessage event(int messageId, String name, String data, boolean isPublic) {
        List<CoapOption> options = new ArrayList<>();
        options.add(path(isPublic ? "e" : "E"));
        options.add(path(name));
        byte[] payload = data == null ? NONE : data.getBytes(StandardCharsets.UTF_8);
        return new CoapMessage(CoapType.NON, CoapMessage.POST, messageId, NONE, options, payload);
    }

    // ---- device to server ----

    /** NON POST /h: product id, firmware version, a reserved byte, flags (bit 0: newly upgraded). */
    public static CoapMessage deviceHello(int messageId, int productId, int firmwareVersion, boolean newlyUpgraded) {
        byte[] payload = ByteBuffer.allocate(6).putShort((short) productId).putShort((short) firmwareVersion)
                .put((byte) 0).put((byte) (newlyUpgraded ? 1 : 0)).array();
        return message(CoapType.NON, CoapMessage.POST, messageId, NONE, payload, path("h"));
    }

    /** CON GET /t. */
    public static CoapMessage timeRequest(int messageId, int token) {
        return message(CoapType.CON, CoapMessage.GET, messageId, token(token), NONE, path("t"));
    }

    /** CON EMPTY: the keep-alive ping. */
    public static CoapMessage ping(int messageId) {
        return message(CoapType.CON, CoapMessage.EMPTY, messageId, NONE, NONE);
    }

    /** The piggybacked ACK 2.05 with the Describe JSON. */
    public static CoapMessage describeResponse(CoapMessage request, String json) {
        return message(CoapType.ACK, CoapMessage.CONTENT, request.messageId(), request.token(),
                json.getBytes(StandardCharsets.UTF_8));
    }

    /** The separate NON 2.04 carrying a function's 4-byte big-endian return value. */
    public static CoapMessage functionReturn(int messageId, byte[] token, int value) {
        return message(CoapType.NON, CoapMessage.CHANGED, messageId, token, ByteBuffer.allocate(4).putInt(value).array());
    }

    /** The piggybacked ACK 2.05 with a variable's value. */
    public static CoapMessage variableValue(CoapMessage request, byte[] value) {
        return message(CoapType.ACK, CoapMessage.CONTENT, request.messageId(), request.token(), value);
    }

    /** NON 2.04 (ok) or 4.00 carrying {@code token}: UpdateReady, or a chunk received with a good or bad CRC. */
    public static CoapMessage changed(int messageId, byte[] token, boolean ok) {
        return message(CoapType.NON, ok ? CoapMessage.CHANGED : CoapMessage.BAD_REQUEST, messageId, token, NONE);
    }

    /** The piggybacked ACK 2.04 to UpdateDone or signal. */
    public static CoapMessage changedAck(CoapMessage request) {
        return message(CoapType.ACK, CoapMessage.CHANGED, request.messageId(), request.token(), NONE);
    }

    /** CON GET /c with the 2-byte index of a chunk the device did not get. */
    public static CoapMessage chunkMissed(int messageId, int token, int index) {
        return message(CoapType.CON, CoapMessage.GET, messageId, token(token),
                ByteBuffer.allocate(2).putShort((short) index).array(), path("c"));
    }
}
