package org.locomov.particle.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.CRC32;
import javax.crypto.Cipher;
import org.locomov.particle.coap.CoapCodec;
import org.locomov.particle.coap.CoapMessage;
import org.locomov.particle.coap.CoapType;
import org.locomov.particle.crypto.CipherChain;
import org.locomov.particle.crypto.ParticleHandshake;
import org.locomov.particle.crypto.SessionMaterial;
import org.locomov.particle.protocol.OutboundCounter;
import org.locomov.particle.protocol.SparkFraming;
import org.locomov.particle.protocol.SparkMessages;

/**
 * The device side of the Spark protocol as a Spark Core's client library speaks it, without a socket: it
 * takes what the server sends and returns the frames the Core would send back, byte for byte (proved
 * against the recorded session by {@code CoreDeviceReplayTest}). {@link SimulatedCore} runs it over TCP.
 *
 * <p>Not thread-safe; {@link SimulatedCore} serialises every call on it.
 */
public final class CoreDevice {

    /** A variable's Describe type and its value as the Core sends it. */
    public record Variable(int type, byte[] value) {

        public static Variable bool(boolean value) {
            return new Variable(1, new byte[] {(byte) (value ? 1 : 0)});
        }

        public static Variable int32(int value) {
            return new Variable(2, ByteBuffer.allocate(4).putInt(value).array());
        }

        public static Variable string(String value) {
            return new Variable(4, value.getBytes(StandardCharsets.UTF_8));
        }

        /** Doubles go little-endian, as the Core's memory holds them. */
        public static Variable float64(double value) {
            return new Variable(9, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(value).array());
        }
    }

    private final byte[] deviceId;
    private final PrivateKey deviceKey;
    private final PublicKey serverKey;
    private final byte[] publicKeyDerInHandshake;
    private final Map<String, Function<String, Integer>> functions;
    private final Map<String, Variable> variables;
    private final boolean newlyUpgraded;

    private byte[] nonce;
    private CipherChain out;
    private CipherChain in;
    private OutboundCounter counter;

    // What happened, for tests.
    private final List<String> calls = new ArrayList<>();
    private final List<String> serverEvents = new ArrayList<>();
    private long serverTime = -1;
    private boolean serverHello;
    private boolean signalling;
    private int otaChunkSize;
    private int otaFileSize;
    private final ByteArrayOutputStream flash = new ByteArrayOutputStream();
    private int chunksGood;
    private int chunksBad;
    private boolean updateDone;
    private boolean corruptNextChunk;

    /**
     * @param deviceIdHex             24 hex digits
     * @param publicKeyDerInHandshake sent after the id (the Photon variant); {@code null} for a Core
     * @param newlyUpgraded           says so in its Hello (the first connection after an OTA)
     */
    public CoreDevice(String deviceIdHex, PrivateKey deviceKey, PublicKey serverKey, byte[] publicKeyDerInHandshake,
            Map<String, Function<String, Integer>> functions, Map<String, Variable> variables, boolean newlyUpgraded) {
        this.deviceId = HexFormat.of().parseHex(deviceIdHex);
        this.deviceKey = deviceKey;
        this.serverKey = serverKey;
        this.publicKeyDerInHandshake = publicKeyDerInHandshake;
        this.functions = new LinkedHashMap<>(functions);
        this.variables = new LinkedHashMap<>(variables);
        this.newlyUpgraded = newlyUpgraded;
    }

    /** The recording's device program: functions led and add, variables temp, volts, label and on. */
    public static CoreDevice recorded(String deviceIdHex, PrivateKey deviceKey, PublicKey serverKey, boolean newlyUpgraded) {
        Map<String, Function<String, Integer>> functions = new LinkedHashMap<>();
        functions.put("led", argument -> argument.equals("on") ? 2 : argument.equals("off") ? 1 : -1);
        functions.put("add", argument -> Arrays.stream(argument.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).sum());
        Map<String, Variable> variables = new LinkedHashMap<>();
        variables.put("temp", Variable.int32(21));
        variables.put("volts", Variable.float64(229.5));
        variables.put("label", Variable.string("core-sim"));
        variables.put("on", Variable.bool(true));
        return new CoreDevice(deviceIdHex, deviceKey, serverKey, null, functions, variables, newlyUpgraded);
    }

    /** Handshake 2: the server's nonce and this device's id (and key) under the server key. */
    public byte[] answerNonce(byte[] serverNonce) {
        this.nonce = serverNonce.clone();
        ByteArrayOutputStream plaintext = new ByteArrayOutputStream();
        plaintext.writeBytes(serverNonce);
        plaintext.writeBytes(deviceId);
        if (publicKeyDerInHandshake != null) {
            plaintext.writeBytes(publicKeyDerInHandshake);
        }
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            rsa.init(Cipher.ENCRYPT_MODE, serverKey);
            return rsa.doFinal(plaintext.toByteArray());
        } catch (Exception e) {
            throw new IllegalStateException("cannot encrypt to the server key", e);
        }
    }

    /**
     * Handshake 3: opens the session material, checks the server's signature, and returns the device's
     * Hello frame.
     *
     * @throws SecurityException when the signature is not the server's
     */
    public byte[] acceptReply(byte[] reply) {
        if (nonce == null) {
            throw new IllegalStateException("no nonce answered yet");
        }
        int sealedLength = reply.length - 256;
        byte[] sealed = Arrays.copyOf(reply, sealedLength);
        SessionMaterial material;
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            rsa.init(Cipher.DECRYPT_MODE, deviceKey);
            material = SessionMaterial.of(rsa.doFinal(sealed));
        } catch (Exception e) {
            throw new SecurityException("the session material does not open with the device key", e);
        }
        if (!ParticleHandshake.verify(material, sealed, Arrays.copyOfRange(reply, sealedLength, reply.length), serverKey)) {
            throw new SecurityException("the session material is not signed by the server key");
        }
        out = material.chain();
        in = material.chain();
        counter = new OutboundCounter(material.deviceFirstMessageId(), material.deviceFirstToken());
        return send(SparkMessages.deviceHello(counter.nextMessageId(), 0xFFFF, 0xFFFF, newlyUpgraded));
    }

    /** NON POST /e/NAME (public) or /E/NAME (private), no Max-Age (ttl 60). */
    public byte[] publish(String name, String data, boolean isPublic) {
        return send(SparkMessages.event(counter.nextMessageId(), name, data, isPublic));
    }

    public byte[] requestTime() {
        return send(SparkMessages.timeRequest(counter.nextMessageId(), counter.nextToken()));
    }

    public byte[] ping() {
        return send(SparkMessages.ping(counter.nextMessageId()));
    }

    /** CON GET /e/PREFIX: subscribes to every device's events whose name starts with it (ALL_DEVICES). */
    public byte[] subscribe(String prefix) {
        return subscribe(prefix, false);
    }

    /**
     * CON GET /e/PREFIX, with the Uri-Query {@code u} of the firmware's MY_DEVICES scope when
     * {@code myDevicesOnly}: only events of devices of the same owner.
     */
    public byte[] subscribe(String prefix, boolean myDevicesOnly) {
        List<org.locomov.particle.coap.CoapOption> options = new ArrayList<>(List.of(
                org.locomov.particle.coap.CoapOption.uriPath("e"), org.locomov.particle.coap.CoapOption.uriPath(prefix)));
        if (myDevicesOnly) {
            options.add(org.locomov.particle.coap.CoapOption.uriQuery("u".getBytes(StandardCharsets.US_ASCII)));
        }
        CoapMessage subscribe = new CoapMessage(CoapType.CON, CoapMessage.GET, counter.nextMessageId(),
                SparkMessages.token(counter.nextToken()), options, new byte[0]);
        return send(subscribe);
    }

    /** A raw message, for tests of what the server refuses. */
    public byte[] send(CoapMessage message) {
        return SparkFraming.wrap(out.encrypt(CoapCodec.encode(message)));
    }

    /** The next chunk is answered as if its CRC were wrong (tests the server's resend). */
    public void corruptNextChunk() {
        corruptNextChunk = true;
    }

    /**
     * One frame's ciphertext (without its length prefix) from the server; returns the frames the device
     * sends back, in order.
     */
    public List<byte[]> onFrame(byte[] ciphertext) {
        CoapMessage message;
        try {
            message = CoapCodec.decode(in.decrypt(ciphertext));
        } catch (Exception e) {
            throw new IllegalStateException("the server sent a frame the device cannot read: " + e.getMessage(), e);
        }
        List<byte[]> replies = new ArrayList<>();
        if (message.type() == CoapType.ACK || message.type() == CoapType.RST) {
            if (message.code() == CoapMessage.CONTENT && message.payloadLength() == 4) {
                serverTime = ByteBuffer.wrap(message.payload()).getInt() & 0xFFFFFFFFL;
            }
            return replies;
        }
        switch (message.resource()) {
            case "h" -> serverHello = true;
            case "d" -> replies.add(send(SparkMessages.describeResponse(message, describeJson())));
            case "f" -> {
                replies.add(send(SparkMessages.emptyAck(message)));
                String function = message.path().size() > 1 ? message.path().get(1) : "";
                byte[] query = message.query();
                String argument = query == null ? "" : new String(query, StandardCharsets.UTF_8);
                calls.add(function + "(" + argument + ")");
                Function<String, Integer> body = functions.get(function);
                int value = body == null ? -1 : body.apply(argument);
                replies.add(send(SparkMessages.functionReturn(counter.nextMessageId(), message.token(), value)));
            }
            case "v" -> {
                Variable variable = variables.get(message.path().size() > 1 ? message.path().get(1) : "");
                replies.add(send(variable == null
                        ? new CoapMessage(CoapType.ACK, CoapMessage.NOT_FOUND, message.messageId(), message.token(),
                                List.of(), new byte[0])
                        : SparkMessages.variableValue(message, variable.value())));
            }
            case "s" -> {
                byte[] query = message.query();
                signalling = query != null && query.length == 1 && query[0] == 1;
                replies.add(send(SparkMessages.changedAck(message)));
            }
            case "e", "E" -> serverEvents.add(String.join("/", message.path()) + "="
                    + new String(message.payload(), StandardCharsets.UTF_8));
            case "u" -> {
                if (message.code() == CoapMessage.POST) {
                    ByteBuffer begin = ByteBuffer.wrap(message.payload());
                    begin.get();
                    otaChunkSize = begin.getShort() & 0xFFFF;
                    otaFileSize = begin.getInt();
                    flash.reset();
                    updateDone = false;
                    replies.add(send(SparkMessages.emptyAck(message)));
                    replies.add(send(SparkMessages.changed(counter.nextMessageId(), message.token(), true)));
                } else {
                    updateDone = true;
                    replies.add(send(SparkMessages.changedAck(message)));
                }
            }
            case "c" -> {
                replies.add(send(SparkMessages.emptyAck(message)));
                CRC32 crc = new CRC32();
                crc.update(message.payload());
                boolean ok = message.query() != null
                        && ByteBuffer.wrap(message.query()).getInt() == (int) crc.getValue() && !corruptNextChunk;
                corruptNextChunk = false;
                if (ok) {
                    flash.writeBytes(message.payload());
                    chunksGood++;
                } else {
                    chunksBad++;
                }
                replies.add(send(SparkMessages.changed(counter.nextMessageId(), message.token(), ok)));
            }
            default -> {
                if (message.type() == CoapType.CON) {
                    replies.add(send(SparkMessages.emptyAck(message)));
                }
            }
        }
        return replies;
    }

    /** {@code {"f":[...],"v":{name:type,...}}} in declaration order, as the Core writes it. */
    public String describeJson() {
        StringBuilder json = new StringBuilder("{\"f\":[");
        String separator = "";
        for (String function : functions.keySet()) {
            json.append(separator).append('"').append(function).append('"');
            separator = ",";
        }
        json.append("],\"v\":{");
        separator = "";
        for (Map.Entry<String, Variable> variable : variables.entrySet()) {
            json.append(separator).append('"').append(variable.getKey()).append("\":").append(variable.getValue().type());
            separator = ",";
        }
        return json.append("}}").toString();
    }

    public List<String> calls() {
        return List.copyOf(calls);
    }

    public List<String> serverEvents() {
        return List.copyOf(serverEvents);
    }

    public long serverTime() {
        return serverTime;
    }

    public boolean sawServerHello() {
        return serverHello;
    }

    public boolean signalling() {
        return signalling;
    }

    public int chunksGood() {
        return chunksGood;
    }

    public int chunksBad() {
        return chunksBad;
    }

    public int otaChunkSize() {
        return otaChunkSize;
    }

    public boolean updateDone() {
        return updateDone;
    }

    /** What the OTA wrote, cut to the announced file size (the last chunk is zero-padded on the wire). */
    public byte[] image() {
        byte[] written = flash.toByteArray();
        return Arrays.copyOf(written, Math.min(written.length, otaFileSize));
    }
}
