package org.locomov.api;

import java.util.Objects;

/**
 * One thing a live-event stream sends: the SSE event name ({@code reading}, {@code command}, {@code event},
 * {@code firmware-job}), the device it concerns (for the device filter and ownership), and its JSON body.
 */
record LiveItem(String event, long deviceId, Object body) {

    LiveItem {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(body, "body");
    }
}
