package org.locomov.particle.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * {@code protocol/spark-core-session.json}: a real Spark Core's session with the original spark-server,
 * byte for byte, with its test-only keys (see the README beside it in {@code ../shared/protocol/}).
 */
public record RecordedSession(String deviceId, PrivateKey devicePrivateKey, PublicKey devicePublicKey,
        String devicePublicKeyPem, PrivateKey serverPrivateKey, PublicKey serverPublicKey, byte[] serverPublicKeyDer,
        byte[] firmware, int chunkSize, List<Connection> connections) {

    private static final HexFormat HEX = HexFormat.of();

    /** One TCP connection of the recording. */
    public record Connection(byte[] nonce, byte[] devicePlaintext, byte[] sessionCiphertext, byte[] signature,
            byte[] sessionMaterial, int serverFirstMessageId, List<Frame> frames) {

        /** The encrypted frames (every frame after the three handshake messages). */
        public List<Frame> messages() {
            return frames.subList(3, frames.size());
        }
    }

    /** One frame in wire order. */
    public record Frame(boolean fromDevice, String what, byte[] wire, byte[] ivUsed, byte[] plaintext, JsonNode coap) {
    }

    public static RecordedSession load() {
        try (InputStream in = RecordedSession.class.getResourceAsStream("/protocol/spark-core-session.json")) {
            if (in == null) {
                throw new IllegalStateException("missing test resource protocol/spark-core-session.json");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            List<Connection> connections = new ArrayList<>();
            for (JsonNode c : root.get("connections")) {
                JsonNode h = c.get("handshake");
                List<Frame> frames = new ArrayList<>();
                for (JsonNode f : c.get("frames")) {
                    frames.add(new Frame(f.get("dir").asText().startsWith("device"), f.get("what").asText(),
                            hex(f, "hex"), hex(f, "ivUsed"), hex(f, "plaintextHex"), f.get("coap")));
                }
                connections.add(new Connection(hex(h, "nonceHex"), hex(h, "devicePlaintextHex"),
                        hex(h, "sessionCiphertextHex"), hex(h, "signatureHex"), hex(h, "sessionMaterialHex"),
                        h.get("serverFirstMessageId").asInt(), List.copyOf(frames)));
            }
            JsonNode firmware = root.get("firmware");
            PrivateKey device = pkcs1(root.get("devicePrivateKeyPem").asText());
            PrivateKey server = pkcs1(root.get("serverPrivateKeyPem").asText());
            return new RecordedSession(root.get("deviceId").asText(), device,
                    publicKey(root.get("devicePublicKeyPem").asText()), root.get("devicePublicKeyPem").asText(),
                    server, publicKey(root.get("serverPublicKeyPem").asText()), hex(root, "serverPublicKeyDerHex"),
                    hex(firmware, "hex"), firmware.path("chunkSize").asInt(256), List.copyOf(connections));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] hex(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : HEX.parseHex(value.asText());
    }

    /** A PKCS#1 ("RSA PRIVATE KEY") PEM, as the recording and spark-server keep them. */
    public static PrivateKey pkcs1(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            PrivateKeyInfo info = ((PEMKeyPair) parser.readObject()).getPrivateKeyInfo();
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException("not an RSA private key PEM", e);
        }
    }

    /** A SubjectPublicKeyInfo PEM. */
    public static PublicKey publicKey(String pem) {
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(reader.readPemObject().getContent()));
        } catch (Exception e) {
            throw new IllegalStateException("not a public key PEM", e);
        }
    }

    /** The public half of an RSA private key. */
    public static PublicKey publicOf(PrivateKey key) {
        try {
            RSAPrivateCrtKey crt = (RSAPrivateCrtKey) key;
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
