package org.locomov.mov;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.locomov.core.DecodeResult;
import org.locomov.core.Reading;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;
import org.locomov.core.Transport;
import org.locomov.transport.JsonReadingDecoder;

/** The mov packet as the transport kit's reading decoder reads it (what {@link ReadingProcessor} does first). */
class MovPacketDecoderTest {

    private static final Instant RECEIVED = Instant.parse("2026-01-02T03:04:05Z");

    private final JsonReadingDecoder decoder = JsonReadingDecoder.json();

    @Test
    void prettyPrintedDevicePacketDecodesEveryField() {
        Reading reading = decoded(Samples.json(Samples.CC3220S_1));

        assertThat(reading).isEqualTo(new Reading(1, Instant.ofEpochSecond(1522368093), RECEIVED, true, 229.5, 50.3,
                13.4538, 77.6283, null, Transport.MOV));
        assertThat(reading.createdAt()).isEqualTo(Instant.ofEpochSecond(1522368093));
    }

    @Test
    void floatVoltageKeepsEveryDigitTheDeviceSent() {
        Reading reading = decoded(Samples.json(Samples.CC3220S_2));

        assertThat(reading.voltage()).isEqualTo(230.10000610351562);
        assertThat(reading.protectedStatus()).isFalse();
    }

    @Test
    void compactGoClientPacketDecodes() {
        Reading reading = decoded(Samples.json(Samples.GO_CLIENT));

        assertThat(reading).isEqualTo(new Reading(23, Instant.ofEpochSecond(1558137600), RECEIVED, true, 243.4, 50.15,
                13.345, 75.678, null, Transport.MOV));
    }

    @Test
    void onlyIdIsRequiredAndNullCountsAsAbsent() {
        Reading reading = decoded(json("{\"id\":7,\"voltage\":null,\"timestamp\":null}"));

        assertThat(reading).isEqualTo(new Reading(7, null, RECEIVED, null, null, null, null, null, null,
                Transport.MOV));
        assertThat(reading.createdAt()).isEqualTo(RECEIVED);
    }

    @Test
    void unknownFieldsAreKeptAsAJsonObject() {
        Reading reading = decoded(json("{\"id\":7,\"rssi\":-61,\"fw\":{\"v\":[1,2]},\"voltage\":230}"));

        assertThat(reading.extraJson()).isEqualTo("{\"rssi\":-61,\"fw\":{\"v\":[1,2]}}");
        assertThat(reading.voltage()).isEqualTo(230.0);
    }

    @Test
    void voltageAsTextIsAWrongType() {
        Refusal refusal = refused(json("{\"id\":7,\"voltage\":\"230\"}"));

        assertThat(refusal).isEqualTo(new Refusal(RefusalKind.WRONG_TYPE, "field 'voltage' must be a number", 7L));
        assertThat(refusal.closesConnection()).isFalse();
    }

    @Test
    void statusAsNumberIsAWrongType() {
        assertThat(refused(json("{\"id\":7,\"status\":1}")).reason()).isEqualTo("field 'status' must be true or false");
    }

    @Test
    void fractionalOrTextIdIsAWrongType() {
        assertThat(refused(json("{\"id\":7.5}")).reason()).isEqualTo("field 'id' must be an integer");
        assertThat(refused(json("{\"id\":\"7\"}")).reason()).isEqualTo("field 'id' must be an integer");
        assertThat(refused(json("{\"id\":99999999999999999999}")).reason()).isEqualTo("field 'id' must be an integer");
    }

    @Test
    void objectWhereANumberBelongsIsAWrongTypeNotAParseError() {
        Refusal refusal = refused(json("{\"id\":7,\"freq\":{\"hz\":50},\"lat\":1}"));

        assertThat(refusal.kind()).isEqualTo(RefusalKind.WRONG_TYPE);
        assertThat(refusal.reason()).isEqualTo("field 'freq' must be a number");
    }

    @Test
    void missingIdIsRefusedAndKeepsTheConnection() {
        Refusal refusal = refused(json("{\"voltage\":230}"));

        assertThat(refusal).isEqualTo(Refusal.of(RefusalKind.MISSING_FIELD, "field 'id' is required"));
        assertThat(refusal.closesConnection()).isFalse();
    }

    @Test
    void timestampNoDatabaseCanHoldIsOutOfRange() {
        Refusal refusal = refused(json("{\"id\":7,\"timestamp\":9223372036854775807}"));

        assertThat(refusal.kind()).isEqualTo(RefusalKind.OUT_OF_RANGE);
        assertThat(refusal.deviceId()).isEqualTo(7L);
    }

    @Test
    void brokenJsonIsMalformedAndClosesTheConnection() {
        Refusal refusal = refused(json("{\"id\":7,,}"));

        assertThat(refusal.kind()).isEqualTo(RefusalKind.MALFORMED);
        assertThat(refusal.reason()).startsWith("malformed JSON: ");
        assertThat(refusal.closesConnection()).isTrue();
    }

    @Test
    void syntaxErrorAfterATypeErrorIsReportedAsMalformed() {
        assertThat(refused(json("{\"id\":\"x\",]")).kind()).isEqualTo(RefusalKind.MALFORMED);
    }

    @Test
    void duplicateFieldIsMalformed() {
        assertThat(refused(json("{\"id\":7,\"id\":8}")).kind()).isEqualTo(RefusalKind.MALFORMED);
    }

    @Test
    void arrayInsteadOfObjectIsMalformed() {
        Refusal refusal = refused(json("[{\"id\":7}]"));

        assertThat(refusal).isEqualTo(Refusal.of(RefusalKind.MALFORMED, "malformed JSON: a packet must be a JSON object"));
    }

    @Test
    void refusalReasonIsOneLineEvenWhenTheParserSaysMore() {
        Refusal refusal = refused(json("{\"id\":7,\n\"x\": tru\n}"));

        assertThat(Reply.refused(refusal).line()).endsWith("\n").doesNotContain("\r").hasLineCount(1);
    }

    private Reading decoded(byte[] json) {
        DecodeResult<Reading> result = decoder.decodeObject(json, "packet", RECEIVED, Transport.MOV);
        assertThat(result).isInstanceOf(DecodeResult.Decoded.class);
        return ((DecodeResult.Decoded<Reading>) result).value();
    }

    private Refusal refused(byte[] json) {
        DecodeResult<Reading> result = decoder.decodeObject(json, "packet", RECEIVED, Transport.MOV);
        assertThat(result).isInstanceOf(DecodeResult.Refused.class);
        return ((DecodeResult.Refused<Reading>) result).refusal();
    }

    private static byte[] json(String text) {
        return text.getBytes(UTF_8);
    }
}
