package org.locomov.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.locomov.mqtt.TopicTable.Route;
import org.locomov.mqtt.TopicTable.Subscription;
import org.locomov.mqtt.TopicTable.Target;

class TopicTableTest {

    @Test
    void ownTopicsRouteByTheirSuffix() {
        assertThat(TopicTable.route("devices/7/readings", 7)).isEqualTo(new Target(Route.READINGS, null));
        assertThat(TopicTable.route("devices/7/events/door", 7)).isEqualTo(new Target(Route.EVENT, "door"));
        assertThat(TopicTable.route("devices/7/commands/response", 7)).isEqualTo(new Target(Route.COMMAND_RESPONSE, null));
        assertThat(TopicTable.route("devices/7/firmware/status", 7)).isEqualTo(new Target(Route.FIRMWARE_STATUS, null));
    }

    @Test
    void anotherDevicesTopicIsOtherDevice() {
        assertThat(TopicTable.route("devices/8/readings", 7).route()).isEqualTo(Route.OTHER_DEVICE);
        assertThat(TopicTable.route("devices/70/readings", 7).route()).isEqualTo(Route.OTHER_DEVICE);
    }

    @Test
    void anythingElseIsUnknown() {
        assertThat(TopicTable.route("devices/7/readings/extra", 7).route()).isEqualTo(Route.UNKNOWN);
        assertThat(TopicTable.route("devices/7/events/", 7).route()).isEqualTo(Route.UNKNOWN);
        assertThat(TopicTable.route("devices/7/events/a/b", 7).route()).isEqualTo(Route.UNKNOWN);
        assertThat(TopicTable.route("devices/7/commands", 7).route()).isEqualTo(Route.UNKNOWN);
        assertThat(TopicTable.route("sensors/7/readings", 7).route()).isEqualTo(Route.UNKNOWN);
        assertThat(TopicTable.route("devices/7/events/" + "x".repeat(65), 7).route()).isEqualTo(Route.UNKNOWN);
    }

    @Test
    void onlyTheDevicesOwnCommandsAndFirmwareMayBeSubscribedTo() {
        assertThat(TopicTable.subscription("devices/7/commands", 7)).isEqualTo(Subscription.COMMANDS);
        assertThat(TopicTable.subscription("devices/7/firmware", 7)).isEqualTo(Subscription.FIRMWARE);
        assertThat(TopicTable.subscription("devices/8/commands", 7)).isEqualTo(Subscription.REFUSED);
        assertThat(TopicTable.subscription("devices/7/#", 7)).isEqualTo(Subscription.REFUSED);
        assertThat(TopicTable.subscription("devices/+/commands", 7)).isEqualTo(Subscription.REFUSED);
        assertThat(TopicTable.subscription("devices/7/readings", 7)).isEqualTo(Subscription.REFUSED);
    }
}
