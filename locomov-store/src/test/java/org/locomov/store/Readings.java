package org.locomov.store;

import java.time.Instant;
import org.locomov.core.Reading;
import org.locomov.core.Transport;

/** Readings for tests. */
final class Readings {

    static final Instant RECEIVED = Instant.parse("2026-03-01T10:00:00.123456Z");

    private Readings() {
    }

    static Reading of(long deviceId) {
        return new Reading(deviceId, null, RECEIVED, true, 230.5, 50.0, null, null, null, Transport.MOV);
    }

    static Reading at(long deviceId, Instant deviceTime) {
        return new Reading(deviceId, deviceTime, RECEIVED, true, 230.5, 50.0, null, null, null, Transport.MOV);
    }

    static Reading withExtra(long deviceId, String extraJson) {
        return new Reading(deviceId, null, RECEIVED, null, null, null, null, null, extraJson, Transport.MOV);
    }
}
