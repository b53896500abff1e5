package org.locomov.core;

import java.util.Locale;

/** The listener a reading arrived on; stored with the reading and used as a metrics tag. */
public enum Transport {
    MOV(1), MQTT(2), COAP(3), PARTICLE(5), API(4);

    private final short code;

    Transport(int code) {
        this.code = (short) code;
    }

    /** Lower-case name, as the {@code reading} view shows it and metrics tag it. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The small code stored in {@code packet.transport} (migration V8; the view {@code reading} turns it
     * back into {@link #tag()}). Fixed once given: never reuse or renumber one.
     */
    public short code() {
        return code;
    }
}
