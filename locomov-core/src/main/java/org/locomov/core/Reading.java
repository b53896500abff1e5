package org.locomov.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One status and meter reading from one device, as decoded by a transport and before it is stored.
 *
 * @param deviceId    the device's {@code pub_id}
 * @param deviceTime  the time the device put in the reading; nullable, since many devices send none
 *                    and the clocks of those that do are often wrong
 * @param receivedAt  when locomov decoded the reading
 * @param protectedStatus the device's {@code status} flag (stored as {@code protected}); nullable
 * @param voltage     nullable
 * @param frequency   the device's {@code freq}; nullable
 * @param lat         nullable
 * @param lng         nullable
 * @param extraJson   the fields locomov does not know, as a JSON object; nullable when there are none
 * @param transport   the listener it arrived on
 */
public record Reading(
        long deviceId,
        Instant deviceTime,
        Instant receivedAt,
        Boolean protectedStatus,
        Double voltage,
        Double frequency,
        Double lat,
        Double lng,
        String extraJson,
        Transport transport) {

    public Reading {
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(transport, "transport");
    }

    /** The time the reading is filed under ({@code packet.created_at}): the device's time if it sent one. */
    public Instant createdAt() {
        return deviceTime != null ? deviceTime : receivedAt;
    }
}
