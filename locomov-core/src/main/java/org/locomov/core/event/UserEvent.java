package org.locomov.core.event;

import java.time.Instant;
import java.util.Objects;

/**
 * An event a user published through the API rather than a device ({@code particle publish}): it reaches that
 * user's live event streams and those of their devices that subscribed to its name, on every node, and is
 * not stored (a device event is; this has no device).
 *
 * @param subId       the user who published it
 * @param name        1 to {@value DeviceEvent#MAX_NAME_LENGTH} characters, no control characters
 * @param data        nullable; at most {@value #MAX_DATA_LENGTH} characters
 * @param publishedAt when the API took it
 * @param isPrivate   Particle's flag: private events reach only the publisher's own devices; public ones also
 *                    other owners' devices subscribed to every device's events (decision 1541). The API's
 *                    streams show every event to its owner only, whatever the flag (decision 1022)
 */
public record UserEvent(long subId, String name, String data, Instant publishedAt, boolean isPrivate) {

    /** Particle's own limit is 622 bytes (1024 on newer devices); this keeps an announcement within PostgreSQL's. */
    public static final int MAX_DATA_LENGTH = 1_024;

    public UserEvent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(publishedAt, "publishedAt");
        if (name.isEmpty() || name.length() > DeviceEvent.MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("an event name must be 1 to " + DeviceEvent.MAX_NAME_LENGTH
                    + " characters without control characters");
        }
        if (data != null && data.length() > MAX_DATA_LENGTH) {
            throw new IllegalArgumentException("event data longer than " + MAX_DATA_LENGTH + " characters");
        }
    }
}
