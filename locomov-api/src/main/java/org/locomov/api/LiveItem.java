package org.locomov.api;

import java.util.Objects;

/**
 * One thing a live-event stream sends: the SSE event name ({@code reading}, {@code command}, {@code event},
 * {@code firmware-job}), the device it concerns (for the device filter and ownership), and its JSON body.
 *
 * @param owner the device's creator, who may see it; null until {@link LiveEvents} looked it up, or when the
 *              device has none
 */
record LiveItem(String event, long deviceId, Object body, Long owner) {

    LiveItem {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(body, "body");
    }

    LiveItem(String event, long deviceId, Object body) {
        this(event, deviceId, body, null);
    }

    LiveItem ownedBy(Long creator) {
        return new LiveItem(event, deviceId, body, creator);
    }
}
