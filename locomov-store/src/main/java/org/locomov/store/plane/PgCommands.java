package org.locomov.store.plane;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.locomov.core.StorageUnavailableException;
import org.locomov.core.command.Command;
import org.locomov.core.command.CommandStatus;
import org.locomov.core.command.Commands;
import org.locomov.core.session.DeviceSession;
import org.locomov.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands across nodes (decision 1100). A command is a row made by the API on any node; its trigger
 * announces it, and every node holding a session of the device that takes commands tries to claim it, so
 * exactly one delivers it. A session that opens (or starts taking commands) is handed the device's queued
 * commands, oldest first. Commands past their time to live are marked expired every
 * {@link #EXPIRY_PERIOD_MS} ms, and a queued command past its ttl is never claimed even before that.
 * A command that could not be written to a connection that closed meanwhile is queued again; one its
 * still-open session refused fails with the reason.
 *
 * <p>Threads: notifications, hand-overs and the expiry sweep run on the plane's single thread; {@link #answer}
 * is called from transports' event loops and runs there too, completing its future afterwards.
 */
public final class PgCommands implements Commands, WaitingWork {

    static final long EXPIRY_PERIOD_MS = 1_000;

    private static final Logger log = LoggerFactory.getLogger(PgCommands.class);

    private final CommandRows rows;
    private final PgDeviceSessions sessions;
    private final ScheduledExecutorService work;
    private final Subscribers<Command> subscribers = new Subscribers<>("commands");

    PgCommands(CommandRows rows, PgDeviceSessions sessions, ScheduledExecutorService work) {
        this.rows = Objects.requireNonNull(rows, "rows");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.work = Objects.requireNonNull(work, "work");
    }

    void start() {
        work.scheduleWithFixedDelay(this::expireLogged, EXPIRY_PERIOD_MS, EXPIRY_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** The rows behind these commands, for the API: make, list, read. */
    public CommandRows rows() {
        return rows;
    }

    @Override
    public CompletableFuture<AnswerOutcome> answer(long deviceId, long commandId, boolean ok, String payloadJson) {
        CompletableFuture<AnswerOutcome> outcome = new CompletableFuture<>();
        work.execute(() -> {
            try {
                Optional<Command> answered = rows.answer(deviceId, commandId, ok, payloadJson);
                outcome.complete(answered.isPresent() ? AnswerOutcome.RECORDED : AnswerOutcome.NOT_WAITING);
            } catch (StoreException e) {
                outcome.completeExceptionally(new StorageUnavailableException("the answer was not stored", e));
            } catch (RuntimeException e) {
                outcome.completeExceptionally(e);
            }
        });
        return outcome;
    }

    @Override
    public AutoCloseable watch(Consumer<Command> subscriber) {
        return subscribers.add(subscriber);
    }

    /** {@value CommandRows#CHANNEL} payloads: announce each changed command; deliver the queued ones held here. */
    void changed(List<String> payloads) {
        Set<Long> ids = new LinkedHashSet<>();
        for (String payload : payloads) {
            CommandRows.Change.parse(payload).ifPresent(change -> {
                if (!subscribers.isEmpty() || (change.status() == CommandStatus.QUEUED
                        && !sessions.sessionsOf(change.deviceId()).isEmpty())) {
                    ids.add(change.commandId());
                }
            });
        }
        if (ids.isEmpty()) {
            return;
        }
        for (Command command : rows.byIds(ids)) {
            subscribers.announce(command);
            if (command.status() == CommandStatus.QUEUED) {
                for (DeviceSession session : sessions.sessionsOf(command.deviceId())) {
                    if (session.takesCommands()) {
                        deliver(command.id(), session);
                        break;
                    }
                }
            }
        }
    }

    /** A session opened or now takes commands: hand it the device's queued ones, oldest first. */
    @Override
    public void handOver(DeviceSession session) {
        if (!session.takesCommands()) {
            return;
        }
        for (long commandId : rows.waiting(session.deviceId())) {
            if (!deliver(commandId, session)) {
                return;
            }
        }
    }

    /** Claims the command and writes it to the session; false when the session cannot take more now. */
    private boolean deliver(long commandId, DeviceSession session) {
        Optional<Command> claimed = rows.claim(commandId, sessions.node());
        if (claimed.isEmpty()) {
            return true; // another node took it, or it expired
        }
        Command command = claimed.get();
        CompletableFuture<Void> sent;
        try {
            sent = session.deliver(command);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, failure) -> {
            if (failure != null) {
                work.execute(() -> undelivered(command, session, failure));
            }
        });
        return true;
    }

    private void undelivered(Command command, DeviceSession session, Throwable failure) {
        try {
            if (sessions.sessionsOf(command.deviceId()).contains(session)) {
                log.info("Command {} for device {} refused by its {} session: {}", command.id(), command.deviceId(),
                        session.listener(), failure.getMessage());
                rows.failUndelivered(command.id(), "not delivered: " + failure.getMessage());
            } else {
                // The connection closed before the command went out: it waits for the device's next session.
                rows.requeue(command.id());
            }
        } catch (StoreException e) {
            log.warn("Command {} could not be re-queued or failed; it expires at its ttl: {}", command.id(), e.getMessage());
        }
    }

    private void expireLogged() {
        try {
            int expired = rows.expire();
            if (expired > 0) {
                log.debug("{} command(s) expired", expired);
            }
        } catch (StoreException e) {
            log.warn("Expiring commands failed, retrying: {}", e.getMessage());
        }
    }

    /** After a lost notification connection: deliver what waits for the devices held here. */
    void resync() {
        sessions.localSessions().forEach(this::handOver);
    }
}
