package org.locomov.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.locomov.core.DecodeResult;
import org.locomov.core.Reading;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;
import org.locomov.core.Transport;

/** Readings from a connection that already knows its device (MQTT, CoAP): an object or an array of them. */
class JsonReadingDecoderTest {

    private static final Instant RECEIVED = Instant.parse("2026-12-01T00:00:00Z");
    private final JsonReadingDecoder decoder = JsonReadingDecoder.json();

    @Test
    void objectWithoutIdIsTheConnectionsDevice() {
        List<Reading> readings = decoded("{\"voltage\":230.5,\"rssi\":-60}");

        assertThat(readings).containsExactly(new Reading(42, null, RECEIVED, null, 230.5, null, null, null,
                "{\"rssi\":-60}", Transport.MQTT));
    }

    @Test
    void arrayGivesEveryReadingInOrder() {
        List<Reading> readings = decoded("[{\"voltage\":1,\"timestamp\":1700000000},{\"id\":42,\"voltage\":2}]");

        assertThat(readings).extracting(Reading::voltage).containsExactly(1.0, 2.0);
        assertThat(readings.getFirst().deviceTime()).isEqualTo(Instant.ofEpochSecond(1_700_000_000));
    }

    @Test
    void anotherDevicesIdIsRefusedAsNotAuthorised() {
        Refusal refusal = refused("{\"id\":7,\"voltage\":1}");

        assertThat(refusal).isEqualTo(new Refusal(RefusalKind.NOT_AUTHORISED,
                "field 'id' is 7, but this connection is device 42", 42L));
    }

    @Test
    void oneBadReadingRefusesTheWholeArrayNamingItsIndex() {
        Refusal refusal = refused("[{\"voltage\":1},{\"voltage\":\"high\"},{\"voltage\":3}]");

        assertThat(refusal.kind()).isEqualTo(RefusalKind.WRONG_TYPE);
        assertThat(refusal.reason()).isEqualTo("reading 1: field 'voltage' must be a number");
    }

    @Test
    void arrayOverTheLimitIsRefusedAsOversize() {
        Refusal refusal = refused("[{},{},{},{}]");

        assertThat(refusal.kind()).isEqualTo(RefusalKind.OVERSIZE);
        assertThat(refusal.reason()).isEqualTo("more than 3 readings in one message");
    }

    @Test
    void emptyArrayScalarAndSyntaxErrorAreRefused() {
        assertThat(refused("[]").kind()).isEqualTo(RefusalKind.MISSING_FIELD);
        assertThat(refused("[1]").reason()).isEqualTo("malformed JSON: reading 0 is not an object");
        assertThat(refused("230.5").kind()).isEqualTo(RefusalKind.MALFORMED);
        assertThat(refused("[{\"voltage\":1},{\"voltage\":2").kind()).isEqualTo(RefusalKind.MALFORMED);
        assertThat(refused("{\"voltage\":1} {\"voltage\":2}").reason()).isEqualTo("malformed JSON: content after the readings");
    }

    private List<Reading> decoded(String json) {
        DecodeResult<List<Reading>> result = decoder.decodeReadings(json.getBytes(UTF_8), 42, 3, RECEIVED, Transport.MQTT);
        assertThat(result).isInstanceOf(DecodeResult.Decoded.class);
        return ((DecodeResult.Decoded<List<Reading>>) result).value();
    }

    private Refusal refused(String json) {
        DecodeResult<List<Reading>> result = decoder.decodeReadings(json.getBytes(UTF_8), 42, 3, RECEIVED, Transport.MQTT);
        assertThat(result).isInstanceOf(DecodeResult.Refused.class);
        return ((DecodeResult.Refused<List<Reading>>) result).refusal();
    }
}
