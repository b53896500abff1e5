package org.locomov.store.plane;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.locomov.core.ReadingRefusedException;
import org.locomov.core.ShuttingDownException;
import org.locomov.core.StorageUnavailableException;
import org.locomov.core.Transport;
import org.locomov.core.event.DeviceEvent;
import org.locomov.core.event.DeviceEvents;
import org.locomov.store.plane.EventRows.StoredEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device events into {@code event}, like readings into {@code packet}: a bounded queue
 * ({@code --event-queue-capacity}) that one writer thread empties in batches, one transaction each, completing
 * each event's future after commit. A full queue makes {@link #publish} return null and the transport waits
 * for {@link #whenCapacity} (backpressure, never a silent drop). A batch the database refuses is written again
 * event by event, so one bad event (an unknown device) fails alone. Subscribers hear of every committed event
 * from the table's notification, on every node.
 *
 * <p>Threads: {@link #publish} and {@link #whenCapacity} from any thread, without blocking; the writer thread
 * ({@code locomov-event-writer}) owns the database work; subscribers are called on the plane's thread.
 */
public final class PgDeviceEvents implements DeviceEvents, AutoCloseable {

    static final int MAX_BATCH = 500;

    private static final Logger log = LoggerFactory.getLogger(PgDeviceEvents.class);

    private record Pending(DeviceEvent event, CompletableFuture<Void> stored) {
    }

    private final DataSource dataSource;
    private final EventRows rows;
    private final BlockingQueue<Pending> queue;
    private final Queue<Runnable> capacityWaiters = new ConcurrentLinkedQueue<>();
    private final Subscribers<DeviceEvent> subscribers = new Subscribers<>("device events");
    private final Thread writer;
    private final Counter refused;
    private volatile boolean closed;

    PgDeviceEvents(DataSource dataSource, EventRows rows, int queueCapacity, MeterRegistry registry) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.rows = Objects.requireNonNull(rows, "rows");
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.writer = Thread.ofPlatform().name("locomov-event-writer").daemon().unstarted(this::write);
        Gauge.builder("locomov.events.queued", queue, BlockingQueue::size)
                .description("device events waiting to be stored").register(registry);
        this.refused = Counter.builder("locomov.events.refused")
                .description("device events the database refused (unknown device, bad data)").register(registry);
    }

    void start() {
        writer.start();
    }

    /** The rows behind the events, for the API's list. */
    public EventRows rows() {
        return rows;
    }

    @Override
    public CompletableFuture<Void> publish(DeviceEvent event) {
        Objects.requireNonNull(event, "event");
        if (closed) {
            return CompletableFuture.failedFuture(new ShuttingDownException());
        }
        Pending pending = new Pending(event, new CompletableFuture<>());
        return queue.offer(pending) ? pending.stored() : null;
    }

    @Override
    public void whenCapacity(Runnable task) {
        capacityWaiters.add(Objects.requireNonNull(task, "task"));
        if (queue.remainingCapacity() > 0) {
            runCapacityWaiters(); // room appeared before the task was added
        }
    }

    @Override
    public AutoCloseable subscribe(Consumer<DeviceEvent> subscriber) {
        return subscribers.add(subscriber);
    }

    /** {@value EventRows#CHANNEL} payloads {@code "<id> <pub_id>"}: read the events and announce them; plane thread. */
    void stored(List<String> payloads) {
        if (subscribers.isEmpty()) {
            return;
        }
        Set<Long> ids = new LinkedHashSet<>();
        for (String payload : payloads) {
            try {
                ids.add(Long.parseLong(payload.substring(0, payload.indexOf(' '))));
            } catch (RuntimeException e) {
                log.debug("Ignoring event notification {}", payload);
            }
        }
        for (StoredEvent stored : rows.byIds(ids)) {
            subscribers.announce(new DeviceEvent(stored.deviceId(), stored.name(), stored.data(), stored.publishedAt(),
                    transport(stored.transport()), stored.isPrivate()));
        }
    }

    private static Transport transport(String tag) {
        try {
            return Transport.valueOf(tag.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Transport.API;
        }
    }

    private void write() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(250, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                store(batch);
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            } finally {
                batch.clear();
                runCapacityWaiters();
            }
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.stored().completeExceptionally(new ShuttingDownException());
        }
    }

    private void store(List<Pending> batch) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                EventRows.insert(connection, batch.stream().map(Pending::event).toList());
                connection.commit();
                batch.forEach(pending -> pending.stored().complete(null));
                return;
            } catch (SQLException e) {
                connection.rollback();
                if (batch.size() == 1 || !isRefusal(e)) {
                    throw e;
                }
            } finally {
                connection.setAutoCommit(true);
            }
            // Refused as a batch: each alone, so that only the bad ones fail.
            for (Pending pending : batch) {
                try {
                    EventRows.insert(connection, List.of(pending.event()));
                    pending.stored().complete(null);
                } catch (SQLException e) {
                    fail(pending, e);
                }
            }
        } catch (SQLException e) {
            if (batch.size() == 1 && isRefusal(e)) {
                fail(batch.getFirst(), e);
            } else {
                log.warn("Storing {} device events failed; their devices are told to retry: {}", batch.size(), e.getMessage());
                batch.forEach(pending -> pending.stored().completeExceptionally(
                        new StorageUnavailableException("the event was not stored", e)));
            }
        }
    }

    private void fail(Pending pending, SQLException e) {
        if (!isRefusal(e)) {
            pending.stored().completeExceptionally(new StorageUnavailableException("the event was not stored", e));
            return;
        }
        refused.increment();
        String reason = "23503".equals(e.getSQLState()) ? "unknown device " + pending.event().deviceId()
                : "refused by the database (SQLSTATE " + e.getSQLState() + ")";
        pending.stored().completeExceptionally(new ReadingRefusedException(reason, e));
    }

    private static boolean isRefusal(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    private void runCapacityWaiters() {
        Runnable waiter;
        while (queue.remainingCapacity() > 0 && (waiter = capacityWaiters.poll()) != null) {
            try {
                waiter.run();
            } catch (RuntimeException e) {
                log.warn("A task waiting for event queue capacity failed: {}", e.toString());
            }
        }
    }

    /** Stores what is queued, then stops; events published afterwards fail as shutting down. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(java.time.Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
