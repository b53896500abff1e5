package org.locomov.store.plane;

import java.sql.Array;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.locomov.core.session.DeviceSession;
import org.locomov.core.session.DeviceSessions;
import org.locomov.core.session.LocalDeviceSessions;
import org.locomov.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device sessions of every node (decision 1101): the sessions open here are kept in a
 * {@link LocalDeviceSessions} and mirrored into {@code device_session} rows under this node's {@code node}
 * row, whose heartbeat this class refreshes every third of {@code --node-timeout}. A node silent for longer
 * than its timeout is deleted by whichever node notices, and its sessions with it; so a device is online
 * while any live node holds a session for it. Other nodes' sessions are known from the
 * {@value #CHANNEL} notifications (and re-read in full at every heartbeat).
 *
 * <p>A session that takes neither commands nor firmware (a mov connection) is written after
 * {@link #QUIET_SESSION_ROW_DELAY}, so the many one-packet connections never reach the database; here it is
 * online at once, elsewhere from then on.
 *
 * <p>Opening a session hands it the commands and update jobs waiting for its device; an exclusive session
 * closes the device's other sessions on the same listener here and, through the notification, on every node.
 *
 * <p>Threads: {@link #open}, {@link #isOnline} and the handles are called from transports' event loops and
 * never block: the database work runs, in order, on the plane's single thread ({@code work}). The remote
 * set is a concurrent set; the row ids of local sessions are written on the plane's thread only.
 */
public final class PgDeviceSessions implements DeviceSessions, AutoCloseable {

    public static final String CHANNEL = "locomov_session";
    /** How long a session that takes neither commands nor firmware is open before other nodes learn of it. */
    static final Duration QUIET_SESSION_ROW_DELAY = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(PgDeviceSessions.class);

    private final DataSource dataSource;
    private final String node;
    private final Duration nodeTimeout;
    private final ScheduledExecutorService work;
    private final LocalDeviceSessions local = new LocalDeviceSessions();
    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private final List<WaitingWork> waiting = new CopyOnWriteArrayList<>();
    private volatile Set<Long> remoteOnline = ConcurrentHashMap.newKeySet();

    PgDeviceSessions(DataSource dataSource, String node, Duration nodeTimeout, ScheduledExecutorService work) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.node = Objects.requireNonNull(node, "node");
        this.nodeTimeout = Objects.requireNonNull(nodeTimeout, "nodeTimeout");
        this.work = Objects.requireNonNull(work, "work");
    }

    void handOverWith(WaitingWork what) {
        waiting.add(what);
    }

    /** Registers this node and starts its heartbeat; called once, before any session opens. */
    void start() {
        registerNode();
        long period = Math.max(100, nodeTimeout.toMillis() / 3);
        work.scheduleWithFixedDelay(this::heartbeatLogged, period, period, TimeUnit.MILLISECONDS);
    }

    /** This node's name in {@code node} and {@code device_session}. */
    public String node() {
        return node;
    }

    @Override
    public SessionHandle open(DeviceSession session) {
        Objects.requireNonNull(session, "session");
        if (session.exclusive()) {
            closeLocal(session.deviceId(), session.listener(), session, "another session of the device took over");
        }
        Registration registration = new Registration(session, local.open(session));
        registrations.add(registration);
        if (session.exclusive() || session.takesCommands() || session.takesFirmware()) {
            work.execute(registration::insert);
        } else {
            // A session that takes nothing (a mov connection, usually one packet long) is written only once it
            // has lasted a moment: most close before, and never cost the database a row.
            work.schedule(registration::insert, QUIET_SESSION_ROW_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
        return registration;
    }

    @Override
    public boolean isOnline(long deviceId) {
        return local.isOnline(deviceId) || remoteOnline.contains(deviceId);
    }

    /** The sessions open on this node for {@code deviceId}, oldest first. */
    public List<DeviceSession> sessionsOf(long deviceId) {
        return local.sessionsOf(deviceId);
    }

    /** Every session open on this node. */
    List<DeviceSession> localSessions() {
        return registrations.stream().map(registration -> registration.session).toList();
    }

    /** Closes every session of {@code deviceId} on this node (it was revoked or deleted). */
    void closeDevice(long deviceId, String reason) {
        for (DeviceSession session : local.sessionsOf(deviceId)) {
            log.info("Closing the {} session of device {} from {}: {}", session.listener(), deviceId, session.peer(), reason);
            session.close(reason);
        }
    }

    private void closeLocal(long deviceId, String listener, DeviceSession except, String reason) {
        for (DeviceSession session : local.sessionsOf(deviceId)) {
            if (session != except && session.listener().equals(listener)) {
                log.info("Closing the {} session of device {} from {}: {}", listener, deviceId, session.peer(), reason);
                session.close(reason);
            }
        }
    }

    /** {@value #CHANNEL} payloads {@code "<opened|exclusive|closed> <pub_id> <node> <listener>"}; plane thread. */
    void changed(List<String> payloads) {
        Set<Long> devices = new HashSet<>();
        for (String payload : payloads) {
            String[] parts = payload.split(" ", 4);
            if (parts.length < 4 || parts[2].equals(node)) {
                continue;
            }
            try {
                long deviceId = Long.parseLong(parts[1]);
                devices.add(deviceId);
                if (parts[0].equals("exclusive")) {
                    closeLocal(deviceId, parts[3], null, "the device opened a session on node " + parts[2]);
                }
            } catch (NumberFormatException e) {
                log.debug("Ignoring session notification {}", payload);
            }
        }
        for (long deviceId : devices) {
            boolean online = !Sql.query(dataSource, "could not read the sessions of device " + deviceId,
                    "SELECT 1 FROM device_session WHERE pub_id = ? AND node <> ? LIMIT 1", statement -> {
                        statement.setLong(1, deviceId);
                        statement.setString(2, node);
                    }, row -> 1).isEmpty();
            if (online) {
                remoteOnline.add(deviceId);
            } else {
                remoteOnline.remove(deviceId);
            }
        }
    }

    private void registerNode() {
        Sql.update(dataSource, "could not register node " + node, """
                INSERT INTO node (node, timeout_ms) VALUES (?, ?)
                ON CONFLICT (node) DO UPDATE SET heartbeat = now(), timeout_ms = excluded.timeout_ms""", statement -> {
                    statement.setString(1, node);
                    statement.setLong(2, nodeTimeout.toMillis());
                });
    }

    private void heartbeatLogged() {
        try {
            heartbeat();
        } catch (StoreException e) {
            log.warn("Node heartbeat failed, retrying in {} ms: {}", nodeTimeout.toMillis() / 3, e.getMessage());
        } catch (RuntimeException e) {
            log.error("Node heartbeat failed", e);
        }
    }

    /** Refreshes this node, removes dead ones, and re-reads which devices other nodes hold. */
    void heartbeat() {
        int alive = Sql.update(dataSource, "could not refresh node " + node,
                "UPDATE node SET heartbeat = now() WHERE node = ?", statement -> statement.setString(1, node));
        if (alive == 0) {
            // Another node found this one silent for too long (a pause, a lost database) and removed it.
            log.warn("Node {} had been declared dead by another node; registering it and its {} sessions again", node,
                    registrations.size());
            registerNode();
            registrations.forEach(Registration::insert);
        }
        int dead = Sql.update(dataSource, "could not remove dead nodes",
                "DELETE FROM node WHERE heartbeat < now() - make_interval(secs => timeout_ms / 1000.0)", statement -> { });
        if (dead > 0) {
            log.info("Removed {} node(s) silent for longer than their --node-timeout, with their device sessions", dead);
        }
        Set<Long> remote = ConcurrentHashMap.newKeySet();
        remote.addAll(Sql.query(dataSource, "could not read other nodes' sessions",
                "SELECT DISTINCT pub_id FROM device_session WHERE node <> ?", statement -> statement.setString(1, node),
                row -> row.getLong(1)));
        remoteOnline = remote;
    }

    /** Removes this node and its sessions (the connections are closing anyway). */
    @Override
    public void close() {
        try {
            Sql.update(dataSource, "could not unregister node " + node, "DELETE FROM node WHERE node = ?",
                    statement -> statement.setString(1, node));
        } catch (StoreException e) {
            log.warn("Could not remove node {} on shutdown; other nodes will after its timeout: {}", node, e.getMessage());
        }
    }

    private static List<String> capabilities(DeviceSession session) {
        List<String> capabilities = new ArrayList<>(2);
        if (session.takesCommands()) {
            capabilities.add("commands");
        }
        if (session.takesFirmware()) {
            capabilities.add("firmware");
        }
        return capabilities;
    }

    /**
     * One open session's handle. {@code rowId} is written and read on the plane's thread only; {@code closed}
     * is what the event loop and the plane thread share.
     */
    private final class Registration implements SessionHandle {

        private final DeviceSession session;
        private final SessionHandle localHandle;
        private final AtomicBoolean closed = new AtomicBoolean();
        private long rowId = -1;

        Registration(DeviceSession session, SessionHandle localHandle) {
            this.session = session;
            this.localHandle = localHandle;
        }

        /** Plane thread: the row, then what waits for the device. */
        void insert() {
            if (closed.get()) {
                return;
            }
            try {
                rowId = Sql.query(dataSource, "could not record the session of device " + session.deviceId(), """
                        INSERT INTO device_session (pub_id, node, listener, exclusive, capabilities)
                        VALUES (?, ?, ?, ?, ?) RETURNING id""", statement -> {
                            statement.setLong(1, session.deviceId());
                            statement.setString(2, node);
                            statement.setString(3, session.listener());
                            statement.setBoolean(4, session.exclusive());
                            Array capabilities = statement.getConnection().createArrayOf("text", capabilities(session).toArray());
                            statement.setArray(5, capabilities);
                        }, row -> row.getLong(1)).getFirst();
            } catch (StoreException e) {
                log.warn("Session of device {} on {} not recorded (other nodes do not see it online): {}",
                        session.deviceId(), session.listener(), e.getMessage());
            }
            handOver();
        }

        private void handOver() {
            for (WaitingWork what : waiting) {
                if (closed.get()) {
                    return;
                }
                try {
                    what.handOver(session);
                } catch (RuntimeException e) {
                    log.warn("Handing device {} what waits for it failed: {}", session.deviceId(), e.getMessage());
                }
            }
        }

        @Override
        public void changed() {
            work.execute(() -> {
                if (closed.get()) {
                    return;
                }
                if (rowId >= 0) {
                    try {
                        Sql.update(dataSource, "could not update a session", "UPDATE device_session SET capabilities = ? WHERE id = ?",
                                statement -> {
                                    statement.setArray(1, statement.getConnection().createArrayOf("text",
                                            capabilities(session).toArray()));
                                    statement.setLong(2, rowId);
                                });
                    } catch (StoreException e) {
                        log.warn("Session of device {} not updated: {}", session.deviceId(), e.getMessage());
                    }
                }
                handOver();
            });
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            localHandle.close();
            registrations.remove(this);
            work.execute(() -> {
                if (rowId < 0) {
                    return;
                }
                try {
                    Sql.update(dataSource, "could not remove a session", "DELETE FROM device_session WHERE id = ?",
                            statement -> statement.setLong(1, rowId));
                } catch (StoreException e) {
                    log.warn("Session of device {} not removed (it goes with this node): {}", session.deviceId(), e.getMessage());
                }
            });
        }
    }
}
