package org.locomov.particle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.locomov.particle.coap.CoapMessage;
import org.locomov.particle.coap.CoapOption;
import org.locomov.particle.coap.CoapType;

/** The subscription scopes as the firmware sends them, and the routing rule of decision 1541, without a socket. */
class EventSubscriptionTest {

    private static final long ANN = 1;
    private static final long BOB = 2;
    private static final String ANNS_CORE = "0123456789abcdef01234567";

    private static EventSubscription parse(byte[] query, byte[] payload) {
        List<CoapOption> options = query == null ? List.of(CoapOption.uriPath("e"), CoapOption.uriPath("door"))
                : List.of(CoapOption.uriPath("e"), CoapOption.uriPath("door"), CoapOption.uriQuery(query));
        return EventSubscription.of(new CoapMessage(CoapType.CON, CoapMessage.GET, 1, new byte[] {1}, options, payload));
    }

    @Test
    void theScopesAreReadAsTheFirmwareSendsThem() {
        assertThat(parse(null, new byte[0])).isEqualTo(new EventSubscription("door", false, null));
        assertThat(parse("u".getBytes(StandardCharsets.US_ASCII), new byte[0])).isEqualTo(new EventSubscription("door", true, null));
        assertThat(parse(null, ANNS_CORE.toUpperCase().getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new EventSubscription("door", false, ANNS_CORE));
        assertThat(parse(null, "not a device".getBytes(StandardCharsets.US_ASCII)))
                .as("a payload that names no device is ignored").isEqualTo(new EventSubscription("door", false, null));
    }

    @Test
    void aPrivateEventReachesOnlyDevicesOfItsOwner() {
        EventSubscription everyDevice = new EventSubscription("door", false, null);
        assertThat(everyDevice.admits("door/front", true, ANN, ANNS_CORE, ANN)).isTrue();
        assertThat(everyDevice.admits("door/front", true, ANN, ANNS_CORE, BOB)).isFalse();
        assertThat(everyDevice.admits("door/front", true, ANN, ANNS_CORE, null)).isFalse();
        assertThat(everyDevice.admits("door/front", true, null, ANNS_CORE, null))
                .as("unclaimed devices share nothing private").isFalse();
    }

    @Test
    void aPublicEventReachesEveryDeviceButThoseAskingForTheirOwnersOnly() {
        assertThat(new EventSubscription("door", false, null).admits("door/front", false, ANN, ANNS_CORE, BOB)).isTrue();
        assertThat(new EventSubscription("door", false, null).admits("door/front", false, null, ANNS_CORE, null)).isTrue();
        assertThat(new EventSubscription("door", true, null).admits("door/front", false, ANN, ANNS_CORE, BOB)).isFalse();
        assertThat(new EventSubscription("door", true, null).admits("door/front", false, ANN, ANNS_CORE, ANN)).isTrue();
    }

    @Test
    void theNameAndTheDeviceMustMatch() {
        assertThat(new EventSubscription("door", false, null).admits("window", false, ANN, ANNS_CORE, ANN)).isFalse();
        assertThat(new EventSubscription("door", false, ANNS_CORE).admits("door", false, ANN, ANNS_CORE, BOB)).isTrue();
        assertThat(new EventSubscription("door", false, "fedcba9876543210fedcba98").admits("door", false, ANN, ANNS_CORE, ANN))
                .isFalse();
        assertThat(new EventSubscription("door", false, ANNS_CORE).admits("door", false, ANN, null, ANN))
                .as("a user's event comes from no device").isFalse();
    }
}
