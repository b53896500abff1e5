package org.locomov.mqtt;

import org.locomov.core.DevicePlane;
import org.locomov.transport.ListenerEvents;

/**
 * What every connection of one MQTT listener shares: its settings, the device plane, its log lines and
 * metrics, the takeover table, and the stateless publish processor. Immutable; its parts are thread-safe.
 */
record MqttConnections(String listener, MqttSettings settings, DevicePlane plane, ListenerEvents events,
        Takeovers takeovers, PublishProcessor publishes) {

    MqttConnections(String listener, MqttSettings settings, DevicePlane plane, ListenerEvents events, Takeovers takeovers) {
        this(listener, settings, plane, events, takeovers, new PublishProcessor(plane));
    }
}
