package org.locomov.core;

import java.util.Locale;

/** The listener a reading arrived on; stored with the reading and used as a metrics tag. */
public enum Transport {
    MOV, MQTT, COAP, PARTICLE, API;

    /** Lower-case name, as stored in {@code packet.transport} and shown in metrics. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
