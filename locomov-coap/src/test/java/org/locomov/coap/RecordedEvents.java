package org.locomov.coap;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.locomov.core.event.DeviceEvent;
import org.locomov.core.event.DeviceEvents;

/**
 * Device events kept in memory: the PostgreSQL implementation of {@link DeviceEvents} is being built on branch
 * plane-services. Each publish "commits" at once, so what the test reads is what a 2.01 promised.
 */
final class RecordedEvents implements DeviceEvents {

    final List<DeviceEvent> committed = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> publish(DeviceEvent event) {
        committed.add(event);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void whenCapacity(Runnable task) {
        task.run();
    }

    @Override
    public AutoCloseable subscribe(Consumer<DeviceEvent> subscriber) {
        return () -> { };
    }
}
