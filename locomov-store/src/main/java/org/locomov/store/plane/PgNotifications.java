package org.locomov.store.plane;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One LISTEN connection per node: what other nodes (and the CLI) announce with {@code pg_notify} reaches the
 * handlers registered here, within a poll interval of the commit. When the connection breaks it is opened
 * again (every {@link #RECONNECT_DELAY}), and the {@link #onReconnect} hooks run, since whatever was
 * announced meanwhile is lost and must be read again from the tables.
 *
 * <p>Threads: one reader thread ({@code locomov-notifications}) owns the connection. Handlers are run on the
 * executor given at construction, with the payloads of one channel that arrived together, in order.
 * {@link #listen} and {@link #onReconnect} are called before {@link #start}.
 */
public final class PgNotifications implements AutoCloseable {

    /** Opens a connection of its own, outside any pool. */
    @FunctionalInterface
    public interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    static final Duration POLL = Duration.ofMillis(250);
    static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);
    private static final Duration FIRST_LISTEN_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern CHANNEL = Pattern.compile("[a-z_]{1,60}");
    private static final Logger log = LoggerFactory.getLogger(PgNotifications.class);

    private final ConnectionFactory connections;
    private final Executor dispatch;
    private final Map<String, List<Consumer<List<String>>>> handlers = new ConcurrentHashMap<>();
    private final List<Runnable> reconnectHooks = new CopyOnWriteArrayList<>();
    private final CountDownLatch listening = new CountDownLatch(1);
    private final Thread reader;
    private volatile boolean closed;

    public PgNotifications(ConnectionFactory connections, Executor dispatch) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.dispatch = Objects.requireNonNull(dispatch, "dispatch");
        this.reader = Thread.ofPlatform().name("locomov-notifications").daemon().unstarted(this::run);
    }

    /** Calls {@code handler} with the payloads announced on {@code channel}. */
    public void listen(String channel, Consumer<List<String>> handler) {
        if (!CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("not a channel name: " + channel);
        }
        handlers.computeIfAbsent(channel, name -> new CopyOnWriteArrayList<>()).add(Objects.requireNonNull(handler));
    }

    /** Runs {@code hook} (on the dispatch executor) after the connection was opened again following a failure. */
    public void onReconnect(Runnable hook) {
        reconnectHooks.add(Objects.requireNonNull(hook));
    }

    /** Opens the connection and returns once it listens, so that nothing committed after this is missed. */
    public void start() {
        reader.start();
        try {
            if (!listening.await(FIRST_LISTEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Notifications: not listening after {}; other nodes' changes arrive once it is", FIRST_LISTEN_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        boolean first = true;
        while (!closed) {
            try (Connection connection = connections.open()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    for (String channel : handlers.keySet()) {
                        statement.execute("LISTEN " + channel); // checked against CHANNEL; not a bind parameter in SQL
                    }
                }
                if (!first) {
                    log.info("Notifications: listening again; re-reading what may have been announced meanwhile");
                    reconnectHooks.forEach(hook -> dispatch.execute(() -> runHook(hook)));
                }
                first = false;
                listening.countDown();
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] received = pg.getNotifications((int) POLL.toMillis());
                    if (received != null && received.length > 0) {
                        deliver(received);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                log.warn("Notifications: connection lost ({}); reconnecting in {}", e.getMessage(), RECONNECT_DELAY);
                pause();
            }
        }
    }

    private void deliver(PGNotification[] received) {
        Map<String, List<String>> byChannel = new LinkedHashMap<>();
        for (PGNotification notification : received) {
            byChannel.computeIfAbsent(notification.getName(), name -> new ArrayList<>()).add(notification.getParameter());
        }
        byChannel.forEach((channel, payloads) -> {
            List<String> batch = List.copyOf(payloads);
            for (Consumer<List<String>> handler : handlers.getOrDefault(channel, List.of())) {
                dispatch.execute(() -> {
                    try {
                        handler.accept(batch);
                    } catch (RuntimeException e) {
                        log.warn("Notifications: handling {} on {} failed: {}", batch.size(), channel, e.toString());
                    }
                });
            }
        });
    }

    private static void runHook(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException e) {
            log.warn("Notifications: re-reading after a reconnect failed: {}", e.toString());
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_DELAY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** Stops listening and closes the connection. */
    @Override
    public void close() {
        closed = true;
        reader.interrupt();
        try {
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
