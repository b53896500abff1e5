package org.locomov.store;

import java.time.Instant;

/**
 * A registered device, as {@code pub} holds it.
 *
 * @param pubId      the id the device sends
 * @param name       nullable
 * @param ssid       the Wi-Fi it was provisioned on; nullable
 * @param hash       set by cloud confirmation; nullable
 * @param lastSeenAt when it last sent a reading (kept to the minute); nullable when never
 * @param revoked    true when its credentials were revoked and its readings are refused
 */
public record Device(long pubId, String name, String ssid, Long hash, Instant createdAt, Instant lastSeenAt,
        boolean revoked) {
}
