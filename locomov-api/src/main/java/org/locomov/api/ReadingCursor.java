package org.locomov.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.locomov.store.ReadingQueries.Order;
import org.locomov.store.ReadingQueries.Position;

/**
 * The opaque {@code cursor} of reading pages: where the previous page ended in the
 * {@code (created_at, id)} order, and which direction it was going, base64url-encoded. Clients pass it
 * back unchanged; a cursor from the other direction, or one that was tampered with, gets a 400.
 */
final class ReadingCursor {

    private ReadingCursor() {
    }

    static String encode(Position position, Order order) {
        String plain = order.name() + ":" + position.createdAt().getEpochSecond() + ":" + position.createdAt().getNano()
                + ":" + position.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    static Position decode(String cursor, Order order) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII).split(":");
            if (parts.length == 4 && parts[0].equals(order.name())) {
                return new Position(Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2])),
                        Long.parseLong(parts[3]));
            }
        } catch (RuntimeException e) {
            // Answered below: a cursor is either one we made or refused.
        }
        throw ApiProblem.badRequest("cursor is not one this API returned for order=" + order.name().toLowerCase(java.util.Locale.ROOT));
    }
}
