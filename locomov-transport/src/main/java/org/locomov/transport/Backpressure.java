package org.locomov.transport;

import io.netty.channel.Channel;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.locomov.core.Ingest;
import org.locomov.core.Reading;
import org.locomov.core.event.DeviceEvent;
import org.locomov.core.event.DeviceEvents;

/**
 * The submit → hold → resume loop by which every transport hands work to a bounded queue ({@link Ingest},
 * {@link DeviceEvents}) without ever dropping it: when the queue is full, the item is held, the connection
 * stops reading ({@link ReadPause}), and once the queue has room the item is submitted again from the
 * connection's event loop and reading resumes. The returned future completes when the queue's own future
 * does (after commit) — so a transport acknowledges from it and from nothing else.
 *
 * <p>Thread-safety: stateless; {@link #submit} is called on a connection's event loop, and the retry runs
 * there too. A {@link ReadPause} belongs to one connection and is used on its event loop only.
 */
public final class Backpressure {

    /** A bounded queue that says "full" by returning {@code null} from {@link #offer}. */
    public interface BoundedQueue<T> {

        /** Queues {@code item}: a future completed after commit, or {@code null} when full. */
        CompletableFuture<Void> offer(T item);

        /** Runs {@code task} once, without blocking, as soon as {@link #offer} can queue again. */
        void whenCapacity(Runnable task);
    }

    /** How a connection stops and restarts reading from its socket while an item is held. */
    public interface ReadPause {

        /** For connections that read only when they ask (one message in flight): nothing to do. */
        ReadPause NONE = new ReadPause() {
            @Override
            public void pause() {
            }

            @Override
            public void resume() {
            }
        };

        void pause();

        void resume();

        /**
         * Pauses by turning the channel's auto-read off while at least one item is held, and back on when
         * none is. Per connection; event loop only.
         */
        static ReadPause autoRead(Channel channel) {
            return new ReadPause() {
                private int held;

                @Override
                public void pause() {
                    if (held++ == 0) {
                        channel.config().setAutoRead(false);
                    }
                }

                @Override
                public void resume() {
                    if (--held == 0) {
                        channel.config().setAutoRead(true);
                    }
                }
            };
        }
    }

    private Backpressure() {
    }

    /** {@link Ingest} as a bounded queue of readings. */
    public static BoundedQueue<Reading> readings(Ingest ingest) {
        Objects.requireNonNull(ingest, "ingest");
        return new BoundedQueue<>() {
            @Override
            public CompletableFuture<Void> offer(Reading reading) {
                return ingest.submit(reading);
            }

            @Override
            public void whenCapacity(Runnable task) {
                ingest.whenCapacity(task);
            }
        };
    }

    /** {@link DeviceEvents} as a bounded queue of events. */
    public static BoundedQueue<DeviceEvent> events(DeviceEvents events) {
        Objects.requireNonNull(events, "events");
        return new BoundedQueue<>() {
            @Override
            public CompletableFuture<Void> offer(DeviceEvent event) {
                return events.publish(event);
            }

            @Override
            public void whenCapacity(Runnable task) {
                events.whenCapacity(task);
            }
        };
    }

    /**
     * Submits {@code item} to {@code queue}, holding it while the queue is full.
     *
     * @param eventLoop the connection's event loop: the retry runs there
     * @param pause     how the connection stops reading while the item is held
     * @return completes when the queue's future does; never {@code null}
     */
    public static <T> CompletableFuture<Void> submit(BoundedQueue<T> queue, T item, Executor eventLoop,
            ReadPause pause) {
        CompletableFuture<Void> queued = queue.offer(item);
        if (queued != null) {
            return queued;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        pause.pause();
        queue.whenCapacity(() -> execute(eventLoop, () -> {
            pause.resume();
            relay(submit(queue, item, eventLoop, pause), done);
        }));
        return done;
    }

    private static void relay(CompletableFuture<Void> from, CompletableFuture<Void> to) {
        from.whenComplete((ignored, failure) -> {
            if (failure != null) {
                to.completeExceptionally(failure);
            } else {
                to.complete(null);
            }
        });
    }

    private static void execute(Executor eventLoop, Runnable task) {
        try {
            eventLoop.execute(task);
        } catch (RejectedExecutionException stopped) {
            // The listener stopped: the connection is gone, and its device sends the item again later.
        }
    }
}
