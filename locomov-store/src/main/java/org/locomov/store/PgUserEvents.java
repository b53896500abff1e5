package org.locomov.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.locomov.core.event.UserEvent;
import org.locomov.core.event.UserEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * User events through PostgreSQL: {@link #publish} is a {@code pg_notify} on {@value #CHANNEL}, so every node
 * (this one too) hears it once committed; the node's notification listener hands the payloads to
 * {@link #announced}, which calls the local subscribers (docs/decisions/1022-user-events.md).
 *
 * <p>Payload: {@code subId TAB private(0|1) TAB epochMillis TAB name TAB data}; names hold no control
 * characters, so the data (last) may hold anything. Thread-safe: subscribers are a copy-on-write list.
 */
public final class PgUserEvents implements UserEvents {

    public static final String CHANNEL = "locomov_user_event";
    private static final Logger log = LoggerFactory.getLogger(PgUserEvents.class);

    private final DataSource dataSource;
    private final Executor executor;
    private final List<Consumer<UserEvent>> subscribers = new CopyOnWriteArrayList<>();

    public PgUserEvents(DataSource dataSource, Executor executor) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public CompletableFuture<Void> publish(UserEvent event) {
        return CompletableFuture.runAsync(() -> publishNow(event), executor);
    }

    /** {@link #publish} on the caller's thread. */
    public void publishNow(UserEvent event) {
        String payload = event.subId() + "\t" + (event.isPrivate() ? 1 : 0) + "\t" + event.publishedAt().toEpochMilli()
                + "\t" + event.name() + "\t" + (event.data() == null ? "" : event.data());
        try (Connection connection = dataSource.getConnection();
             PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, CHANNEL);
            notify.setString(2, payload);
            notify.execute();
        } catch (SQLException e) {
            throw new StoreQueryException("could not announce event " + event.name(), e);
        }
    }

    @Override
    public AutoCloseable subscribe(Consumer<UserEvent> subscriber) {
        subscribers.add(Objects.requireNonNull(subscriber, "subscriber"));
        return () -> subscribers.remove(subscriber);
    }

    /** The payloads announced on {@value #CHANNEL}, as the node's notification listener hands them over. */
    public void announced(List<String> payloads) {
        for (String payload : payloads) {
            UserEvent event = parse(payload);
            if (event == null) {
                log.warn("user events: ignored an unreadable announcement on {}", CHANNEL);
                continue;
            }
            for (Consumer<UserEvent> subscriber : subscribers) {
                try {
                    subscriber.accept(event);
                } catch (RuntimeException e) {
                    log.error("user events: a subscriber failed", e);
                }
            }
        }
    }

    static UserEvent parse(String payload) {
        String[] parts = payload.split("\t", 5);
        if (parts.length != 5) {
            return null;
        }
        try {
            return new UserEvent(Long.parseLong(parts[0]), parts[3], parts[4].isEmpty() ? null : parts[4],
                    Instant.ofEpochMilli(Long.parseLong(parts[2])), parts[1].equals("1"));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
