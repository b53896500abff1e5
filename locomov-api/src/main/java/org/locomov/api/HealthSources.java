package org.locomov.api;

import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What {@code /health} reports besides the database, supplied by the server that wires the listeners.
 *
 * @param listenersUp         each listener by name ("mov", "api" ...) and whether it is accepting connections
 * @param certificateDaysLeft whole days until the served certificate that expires first expires (negative once expired)
 */
public record HealthSources(Supplier<Map<String, Boolean>> listenersUp, LongSupplier certificateDaysLeft) {

    public HealthSources {
        Objects.requireNonNull(listenersUp, "listenersUp");
        Objects.requireNonNull(certificateDaysLeft, "certificateDaysLeft");
    }
}
