package org.locomov.store.plane;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.locomov.core.Confirmations;
import org.locomov.core.DevicePlane;
import org.locomov.core.Ingest;
import org.locomov.core.identity.DeviceIdentity;
import org.locomov.store.PgDeviceDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device plane over PostgreSQL, one per node: sessions, commands, events and update jobs, tied to the
 * other nodes by one LISTEN connection (decision 1104). Assembled here so the server and tests wire it the
 * same way: construct, add any further {@link #listen listeners} (the operator CAs), {@link #start}, hand
 * {@link #plane()} to the listeners, and {@link #close} after them.
 *
 * <p>Threads: the plane's work (session rows, hand-overs, claims, notifications, the heartbeat and expiry
 * sweeps) runs in order on one thread ({@code locomov-device-plane}); reads that transports wait for run on
 * virtual threads; the notification connection has its own reader thread.
 */
public final class PgDevicePlane implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PgDevicePlane.class);

    private final ScheduledExecutorService work = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("locomov-device-plane").daemon().factory());
    private final ExecutorService lookups = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("device-plane-", 0).factory());
    private final PgDeviceDirectory directory;
    private final PgNotifications notifications;
    private final PgDeviceSessions sessions;
    private final PgCommands commands;
    private final PgDeviceEvents events;
    private final PgFirmwareJobs firmware;
    private final DevicePlane plane;

    /**
     * @param listenConnections opens the LISTEN connection, outside the pool ({@code Database::dedicatedConnection})
     * @param ingest            readings, as the batch writer takes them
     * @param directory         its cache is dropped for a device revoked or deleted on any node
     */
    public PgDevicePlane(DevicePlaneSettings settings, DataSource dataSource,
            PgNotifications.ConnectionFactory listenConnections, Ingest ingest, PgDeviceDirectory directory,
            DeviceIdentity identity, Confirmations confirmations, MeterRegistry registry) {
        Objects.requireNonNull(settings, "settings");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.notifications = new PgNotifications(listenConnections, work);
        this.sessions = new PgDeviceSessions(dataSource, nodeName(), settings.nodeTimeout(), work);
        this.commands = new PgCommands(new CommandRows(dataSource), sessions, work);
        this.events = new PgDeviceEvents(dataSource, new EventRows(dataSource), settings.eventQueueCapacity(), registry);
        this.firmware = new PgFirmwareJobs(new FirmwareRows(dataSource), sessions, work, lookups);
        sessions.handOverWith(commands);
        sessions.handOverWith(firmware);
        notifications.listen(PgDeviceSessions.CHANNEL, sessions::changed);
        notifications.listen(CommandRows.CHANNEL, commands::changed);
        notifications.listen(EventRows.CHANNEL, events::stored);
        notifications.listen(FirmwareRows.CHANNEL, firmware::changed);
        notifications.listen(DEVICE_CHANNEL, this::devicesChanged);
        notifications.onReconnect(() -> {
            directory.forgetAll();
            sessions.heartbeat();
            commands.resync();
            firmware.resync();
        });
        this.plane = new DevicePlane(ingest, directory, identity, sessions, commands, events, firmware, confirmations);
    }

    /** Announces a revoked, readmitted or deleted device: {@code "<pub_id> <revoked|readmitted|deleted>"}. */
    public static final String DEVICE_CHANNEL = "locomov_device";

    /** Also calls {@code handler} with what is announced on {@code channel}, on the plane's thread. Before {@link #start}. */
    public void listen(String channel, java.util.function.Consumer<List<String>> handler) {
        notifications.listen(channel, handler);
    }

    /** Registers this node, starts listening and the background jobs; returns once other nodes' changes arrive. */
    public PgDevicePlane start() {
        sessions.start();
        notifications.start();
        commands.start();
        events.start();
        log.info("Device plane started on node {}", sessions.node());
        return this;
    }

    /** What transports and the API hand things to. */
    public DevicePlane plane() {
        return plane;
    }

    public PgDeviceSessions sessions() {
        return sessions;
    }

    public PgCommands commands() {
        return commands;
    }

    public PgDeviceEvents events() {
        return events;
    }

    public PgFirmwareJobs firmware() {
        return firmware;
    }

    private void devicesChanged(List<String> payloads) {
        for (String payload : payloads) {
            String[] parts = payload.split(" ");
            try {
                long deviceId = Long.parseLong(parts[0]);
                directory.forget(deviceId);
                if (parts.length > 1 && !"readmitted".equals(parts[1])) {
                    sessions.closeDevice(deviceId, "the device was " + parts[1]);
                }
            } catch (NumberFormatException e) {
                log.debug("Ignoring device notification {}", payload);
            }
        }
    }

    /** host:pid:random, unique among the nodes of one database even when a pid is reused after a restart. */
    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        byte[] random = new byte[3];
        ThreadLocalRandom.current().nextBytes(random);
        String name = host + ":" + ProcessHandle.current().pid() + ":" + HexFormat.of().formatHex(random);
        return name.length() <= 100 ? name : name.substring(name.length() - 100);
    }

    /** Stops listening, stores the queued events, removes this node and its sessions. */
    @Override
    public void close() {
        notifications.close();
        events.close();
        work.shutdown();
        try {
            work.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        work.shutdownNow();
        sessions.close();
        lookups.close();
    }
}
