package org.locomov.core.event;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Events users publish through the API (see {@link UserEvent}), announced to every node. Not stored, so
 * {@link #publish} completes once the announcement is committed; subscribers on any node then get it.
 *
 * <p>Thread-safe and non-blocking.
 */
public interface UserEvents {

    /** Announces {@code event} to every node; completes after commit. */
    CompletableFuture<Void> publish(UserEvent event);

    /** Calls {@code subscriber} with every event announced from now on, on a dispatcher thread (it must not block). */
    AutoCloseable subscribe(Consumer<UserEvent> subscriber);
}
