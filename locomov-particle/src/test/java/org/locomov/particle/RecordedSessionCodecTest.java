package org.locomov.particle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;
import org.locomov.particle.coap.CoapCodec;
import org.locomov.particle.coap.CoapMessage;
import org.locomov.particle.coap.CoapOption;
import org.locomov.particle.crypto.CipherChain;
import org.locomov.particle.crypto.DeviceHello;
import org.locomov.particle.crypto.ParticleHandshake;
import org.locomov.particle.crypto.SessionMaterial;
import org.locomov.particle.protocol.OutboundCounter;
import org.locomov.particle.protocol.SparkFraming;
import org.locomov.particle.protocol.SparkMessages;
import org.locomov.particle.testing.RecordedSession;
import org.locomov.particle.testing.RecordedSession.Connection;
import org.locomov.particle.testing.RecordedSession.Frame;

/** The codec against the recorded session of a real Spark Core with the original spark-server. */
class RecordedSessionCodecTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final RecordedSession SESSION = RecordedSession.load();

    @Test
    void theServerKeyOpensEachDeviceHandshakeToItsNonceAndId() throws Exception {
        for (Connection connection : SESSION.connections()) {
            assertThat(connection.frames().get(0).wire()).isEqualTo(connection.nonce());
            DeviceHello hello = ParticleHandshake.open(connection.frames().get(1).wire(), connection.nonce(),
                    SESSION.serverPrivateKey());
            assertThat(hello.deviceId()).isEqualTo(SESSION.deviceId());
            assertThat(hello.publicKeyDer()).as("a Core sends no key").isNull();
        }
    }

    @Test
    void aHandshakeWithAnotherNonceIsRefused() {
        Connection connection = SESSION.connections().get(0);
        byte[] otherNonce = connection.nonce().clone();
        otherNonce[0] ^= 1;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ParticleHandshake.open(connection.frames().get(1).wire(),
                        otherNonce, SESSION.serverPrivateKey()))
                .hasMessageContaining("wrong nonce");
    }

    @Test
    void theSessionMaterialDecryptsToTheDeviceAndItsSignatureIsTheServersBitForBit() throws Exception {
        for (Connection connection : SESSION.connections()) {
            byte[] reply = connection.frames().get(2).wire();
            assertThat(reply).hasSize(384);
            byte[] sealed = Arrays.copyOf(reply, 128);
            assertThat(sealed).isEqualTo(connection.sessionCiphertext());
            Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            rsa.init(Cipher.DECRYPT_MODE, SESSION.devicePrivateKey());
            SessionMaterial material = SessionMaterial.of(rsa.doFinal(sealed));
            assertThat(material.bytes()).isEqualTo(connection.sessionMaterial());
            byte[] signature = Arrays.copyOfRange(reply, 128, 384);
            assertThat(ParticleHandshake.verify(material, sealed, signature, SESSION.serverPublicKey())).isTrue();
            assertThat(ParticleHandshake.signature(material, sealed, SESSION.serverPrivateKey())).isEqualTo(signature);
        }
    }

    @Test
    void aFreshReplyOpensWithTheDeviceKeyAndVerifiesWithTheServerKey() throws Exception {
        SessionMaterial material = SessionMaterial.of(SESSION.connections().get(0).sessionMaterial());
        byte[] reply = ParticleHandshake.reply(material, SESSION.devicePublicKey(), SESSION.serverPrivateKey());
        assertThat(reply).hasSize(384);
        Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        rsa.init(Cipher.DECRYPT_MODE, SESSION.devicePrivateKey());
        byte[] sealed = Arrays.copyOf(reply, 128);
        assertThat(rsa.doFinal(sealed)).isEqualTo(material.bytes());
        assertThat(ParticleHandshake.verify(material, sealed, Arrays.copyOfRange(reply, 128, 384),
                SESSION.serverPublicKey())).isTrue();
    }

    @Test
    void everyDeviceFrameDecryptsAndParsesToTheRecordedMessage() throws Exception {
        for (Connection connection : SESSION.connections()) {
            SessionMaterial material = SessionMaterial.of(connection.sessionMaterial());
            CipherChain fromDevice = material.chain();
            CipherChain fromServer = material.chain();
            for (Frame frame : connection.messages()) {
                CipherChain chain = frame.fromDevice() ? fromDevice : fromServer;
                assertThat(chain.nextIv()).as(frame.what()).isEqualTo(frame.ivUsed());
                byte[] wire = frame.wire();
                assertThat((wire[0] & 0xFF) << 8 | wire[1] & 0xFF).isEqualTo(wire.length - 2);
                byte[] plaintext = chain.decrypt(Arrays.copyOfRange(wire, 2, wire.length));
                assertThat(plaintext).as(frame.what()).isEqualTo(frame.plaintext());
                CoapMessage message = CoapCodec.decode(plaintext);
                assertMatches(message, frame.coap(), frame.what());
                assertThat(CoapCodec.encode(message)).as("re-encoded " + frame.what()).isEqualTo(plaintext);
            }
        }
    }

    @Test
    void theDeviceCountersFollowTheSalt() throws Exception {
        for (Connection connection : SESSION.connections()) {
            SessionMaterial material = SessionMaterial.of(connection.sessionMaterial());
            CoapMessage hello = CoapCodec.decode(connection.messages().get(0).plaintext());
            assertThat(hello.messageId()).isEqualTo(material.deviceFirstMessageId());
            CoapMessage time = connection.messages().stream().filter(Frame::fromDevice)
                    .map(f -> decode(f.plaintext())).filter(m -> m.resource().equals("t")).findFirst().orElseThrow();
            assertThat(time.tokenValue()).isEqualTo(material.deviceFirstToken());
        }
    }

    @Test
    void theServerFramesAreProducedBitForBit() throws Exception {
        for (int index = 0; index < SESSION.connections().size(); index++) {
            Connection connection = SESSION.connections().get(index);
            SessionMaterial material = SessionMaterial.of(connection.sessionMaterial());
            List<CoapMessage> expected = serverMessages(connection, index);
            CipherChain toDevice = material.chain();
            List<byte[]> produced = new ArrayList<>();
            for (CoapMessage message : expected) {
                produced.add(SparkFraming.wrap(toDevice.encrypt(CoapCodec.encode(message))));
            }
            List<Frame> recorded = connection.messages().stream().filter(f -> !f.fromDevice()).toList();
            assertThat(produced).hasSameSizeAs(recorded);
            for (int i = 0; i < recorded.size(); i++) {
                assertThat(HEX.formatHex(produced.get(i))).as(recorded.get(i).what())
                        .isEqualTo(HEX.formatHex(recorded.get(i).wire()));
            }
        }
    }

    /** What the server says in each recorded connection, built from the protocol's messages alone. */
    private static List<CoapMessage> serverMessages(Connection connection, int index) {
        List<CoapMessage> fromDevice = connection.messages().stream().filter(Frame::fromDevice)
                .map(f -> decode(f.plaintext())).toList();
        CoapMessage event = find(fromDevice, "e");
        CoapMessage timeRequest = find(fromDevice, "t");
        OutboundCounter server = new OutboundCounter(connection.serverFirstMessageId(), 1);
        List<CoapMessage> messages = new ArrayList<>();
        if (index == 1) {
            messages.add(SparkMessages.serverHello(server.nextMessageId(), server.nextToken()));
            messages.add(SparkMessages.ackWithZeroToken(event, CoapMessage.BAD_REQUEST));
            messages.add(SparkMessages.timeResponse(timeRequest, 1796100924L));
            return messages;
        }
        messages.add(SparkMessages.serverHello(server.nextMessageId(), server.nextToken()));
        messages.add(SparkMessages.ackWithZeroToken(event, CoapMessage.BAD_REQUEST));
        messages.add(SparkMessages.timeResponse(timeRequest, 1796100903L));
        messages.add(SparkMessages.describe(server.nextMessageId(), server.nextToken()));
        messages.add(SparkMessages.functionCall(server.nextMessageId(), server.nextToken(), "led", "on"));
        messages.add(SparkMessages.functionCall(server.nextMessageId(), server.nextToken(), "add", "2,3"));
        for (String variable : List.of("temp", "volts", "label", "on")) {
            messages.add(SparkMessages.variableRequest(server.nextMessageId(), server.nextToken(), variable));
        }
        CoapMessage ping = fromDevice.stream().filter(m -> m.code() == CoapMessage.EMPTY && m.type().name().equals("CON"))
                .findFirst().orElseThrow();
        messages.add(SparkMessages.pingAck(ping));
        byte[] firmware = SESSION.firmware();
        int chunkSize = SESSION.chunkSize();
        messages.add(SparkMessages.updateBegin(server.nextMessageId(), server.nextToken(), chunkSize, firmware.length));
        for (int from = 0; from < firmware.length; from += chunkSize) {
            byte[] chunk = Arrays.copyOf(Arrays.copyOfRange(firmware, from, Math.min(firmware.length, from + chunkSize)),
                    chunkSize);
            CRC32 crc = new CRC32();
            crc.update(chunk);
            messages.add(SparkMessages.chunk(server.nextMessageId(), server.nextToken(), crc.getValue(), chunk));
        }
        messages.add(SparkMessages.updateDone(server.nextMessageId(), server.nextToken()));
        return messages;
    }

    private static CoapMessage find(List<CoapMessage> messages, String resource) {
        return messages.stream().filter(m -> m.resource().equals(resource)).findFirst().orElseThrow();
    }

    private static CoapMessage decode(byte[] plaintext) {
        try {
            return CoapCodec.decode(plaintext);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertMatches(CoapMessage message, JsonNode coap, String what) {
        assertThat(message.type().name()).as(what).isEqualTo(coap.get("type").asText());
        assertThat(CoapMessage.codeText(message.code())).as(what).isEqualTo(coap.get("code").asText());
        assertThat(message.messageId()).as(what).isEqualTo(coap.get("messageId").asInt());
        assertThat(HEX.formatHex(message.token())).as(what).isEqualTo(coap.get("tokenHex").asText());
        List<String> options = new ArrayList<>();
        for (CoapOption option : message.options()) {
            options.add(option.number() + ":" + HEX.formatHex(option.value()));
        }
        List<String> recorded = new ArrayList<>();
        for (JsonNode option : coap.get("options")) {
            recorded.add(option.get("number").asInt() + ":" + option.get("valueHex").asText());
        }
        assertThat(options).as(what).isEqualTo(recorded);
        assertThat(HEX.formatHex(message.payload())).as(what).isEqualTo(coap.get("payloadHex").asText());
        assertThat(new String(message.payload(), StandardCharsets.ISO_8859_1)).isNotNull();
    }
}
