package org.locomov.core.event;

import java.time.Instant;
import java.util.Objects;
import org.locomov.core.Transport;

/**
 * A named message a device published that is not a reading (DESIGN.md §2): a Particle publish, an MQTT
 * message on {@code devices/{id}/events/{name}}, a CoAP POST to {@code /events/{name}}, an MQTT will.
 *
 * @param deviceId    who published it
 * @param name        the event's name, 1 to {@value #MAX_NAME_LENGTH} characters
 * @param data        its data as text; nullable when it has none
 * @param publishedAt when the device published it (its clock when it said, else receipt time)
 * @param transport   how it arrived
 * @param isPrivate   reaches only its owner's devices (Particle's private events, and every event of a transport
 *                    that has no such flag); {@code false} only for a Particle device's public publish, which
 *                    any device subscribed to every device's events receives (decision 1541)
 */
public record DeviceEvent(long deviceId, String name, String data, Instant publishedAt, Transport transport,
        boolean isPrivate) {

    public static final int MAX_NAME_LENGTH = 64;
    /** Longest data kept, in characters (Particle's own limit is far below it). */
    public static final int MAX_DATA_LENGTH = 16_384;

    public DeviceEvent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(publishedAt, "publishedAt");
        Objects.requireNonNull(transport, "transport");
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("an event name must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        if (data != null && data.length() > MAX_DATA_LENGTH) {
            throw new IllegalArgumentException("event data longer than " + MAX_DATA_LENGTH + " characters");
        }
    }

    /** A private event: what every transport but Particle's public publish makes. */
    public DeviceEvent(long deviceId, String name, String data, Instant publishedAt, Transport transport) {
        this(deviceId, name, data, publishedAt, transport, true);
    }
}
