package org.locomov.server;

import java.time.Duration;
import org.locomov.store.plane.DevicePlaneSettings;
import picocli.CommandLine.Option;

/** The {@code serve} options of the device plane that every listener shares: nodes and device events. */
final class DevicePlaneOptions {

    @Option(names = "--node-timeout", paramLabel = "DURATION", defaultValue = "15s",
            description = "Several serve processes on one PostgreSQL act as one; a node silent for this long is taken "
                    + "for dead and its device sessions are dropped (devices show offline, commands wait for their next "
                    + "connection). Its heartbeat runs every third of it. Default: ${DEFAULT-VALUE}.")
    Duration nodeTimeout;

    @Option(names = "--event-queue-capacity", paramLabel = "N",
            defaultValue = "" + DevicePlaneSettings.DEFAULT_EVENT_QUEUE_CAPACITY,
            description = "Device events that may wait for the database before listeners stop reading from their "
                    + "sockets. Default: ${DEFAULT-VALUE}.")
    int eventQueueCapacity;

    /** The settings, or {@code null} after adding the problem to {@code problems}. */
    DevicePlaneSettings settings(SettingsProblems problems) {
        return problems.build(() -> new DevicePlaneSettings(nodeTimeout, eventQueueCapacity));
    }
}
