package org.locomov.mqtt;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import org.locomov.core.Refusal;

/**
 * The one place where locomov's answers become MQTT packets, with the reason codes of the client's protocol
 * version: CONNACK return codes (3.1/3.1.1) or reason codes (5), PUBACK reason codes (5 only: 3.1.1 has no
 * negative PUBACK, so a refused QoS 1 publish closes the connection instead), SUBACK failure codes.
 * Stateless.
 */
final class MqttReplies {

    /** MQTT 5 PUBACK: accepted, but nobody was waiting for it (a command answer arriving late). */
    static final byte NO_MATCHING_SUBSCRIBERS = 0x10;
    static final byte NOT_AUTHORIZED = (byte) 0x87;
    static final byte TOPIC_NAME_INVALID = (byte) 0x90;
    static final byte QUOTA_EXCEEDED = (byte) 0x97;
    static final byte PAYLOAD_FORMAT_INVALID = (byte) 0x99;
    static final byte UNSPECIFIED_ERROR = (byte) 0x80;
    static final byte IMPLEMENTATION_SPECIFIC_ERROR = (byte) 0x83;
    /** MQTT 5 DISCONNECT reason codes the server sends. */
    static final byte MALFORMED_PACKET = (byte) 0x81;
    static final byte PROTOCOL_ERROR = (byte) 0x82;
    static final byte SERVER_SHUTTING_DOWN = (byte) 0x8B;
    static final byte KEEP_ALIVE_TIMEOUT = (byte) 0x8D;
    static final byte SESSION_TAKEN_OVER = (byte) 0x8E;
    static final byte PACKET_TOO_LARGE = (byte) 0x95;
    static final byte RETAIN_NOT_SUPPORTED = (byte) 0x9A;
    static final byte QOS_NOT_SUPPORTED = (byte) 0x9B;

    private MqttReplies() {
    }

    /** CONNACK accepting the connection; MQTT 5 also learns the server's limits. */
    static MqttConnAckMessage connAckAccepted(boolean v5, MqttSettings settings, String assignedClientId) {
        MqttMessageBuilders.ConnAckBuilder builder = MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(false);
        if (v5) {
            builder.properties(properties -> {
                properties.receiveMaximum(settings.receiveMaximum())
                        .maximumQos((byte) 1)
                        .retainAvailable(false)
                        .maximumPacketSize(settings.maxPacketBytes())
                        .wildcardSubscriptionAvailable(false)
                        .subscriptionIdentifiersAvailable(false)
                        .sharedSubscriptionAvailable(false)
                        .topicAliasMaximum(0);
                if (assignedClientId != null) {
                    properties.assignedClientId(assignedClientId);
                }
            });
        }
        return builder.build();
    }

    /** CONNACK refusing the connection for {@code refusal}, in the client's version. */
    static MqttConnAckMessage connAckRefused(boolean v5, Refusal refusal) {
        return connAck(connectCode(v5, refusal));
    }

    static MqttConnAckMessage connAck(MqttConnectReturnCode code) {
        return MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build();
    }

    static MqttConnectReturnCode connectCode(boolean v5, Refusal refusal) {
        return switch (refusal.kind()) {
            case BAD_CREDENTIALS, MALFORMED -> v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                    : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD;
            case STORAGE_UNAVAILABLE, SHUTTING_DOWN, SERVER_ERROR -> v5
                    ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
            default -> v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
        };
    }

    /** The MQTT 5 PUBACK reason code of a refused publish. */
    static byte pubAckCode(Refusal refusal) {
        return switch (refusal.kind()) {
            case NOT_AUTHORISED, CERTIFICATE_MISMATCH, REVOKED_DEVICE, UNKNOWN_DEVICE -> NOT_AUTHORIZED;
            case OVERSIZE -> QUOTA_EXCEEDED;
            case MALFORMED, WRONG_TYPE, MISSING_FIELD, OUT_OF_RANGE -> PAYLOAD_FORMAT_INVALID;
            case REFUSED_BY_DATABASE -> IMPLEMENTATION_SPECIFIC_ERROR;
            default -> UNSPECIFIED_ERROR;
        };
    }

    static MqttMessage pubAck(int packetId, byte reasonCode) {
        return MqttMessageBuilders.pubAck().packetId(packetId).reasonCode(reasonCode).build();
    }

    /**
     * SUBACK: one code per requested filter, {@code grantedOrFailure[i]} being the granted QoS (0, 1), or
     * {@code -1} for a refused filter, sent as 0x80 (3.1.1) or 0x87 Not authorized (5).
     */
    static MqttSubAckMessage subAck(boolean v5, int packetId, int[] grantedOrFailure) {
        int[] codes = new int[grantedOrFailure.length];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = grantedOrFailure[i] >= 0 ? grantedOrFailure[i] : v5 ? (NOT_AUTHORIZED & 0xFF) : MqttQoS.FAILURE.value();
        }
        return new MqttSubAckMessage(new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                new MqttSubAckPayload(codes));
    }

    static MqttMessage unsubAck(boolean v5, int packetId, int filters) {
        MqttMessageBuilders.UnsubAckBuilder builder = MqttMessageBuilders.unsubAck().packetId(packetId);
        if (v5) {
            for (int i = 0; i < filters; i++) {
                builder.addReasonCode((short) 0);
            }
        }
        return builder.build();
    }

    static MqttMessage pingResp() {
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0));
    }

    /** MQTT 5 only: the server's DISCONNECT with its reason. */
    static MqttMessage disconnect(byte reasonCode) {
        return MqttMessageBuilders.disconnect().reasonCode(reasonCode).build();
    }
}
