package org.locomov.api;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.locomov.core.command.Command;
import org.locomov.core.command.Commands;
import org.locomov.store.plane.CommandRows;

/**
 * {@link CommandRunner} on the device plane: stores the command (its trigger announces it to the node that
 * holds the device's session) and waits for it to be final. It watches the plane's command changes before
 * the command exists, so that an answer however quick is not missed.
 *
 * <p>Thread-safe: stateless; the waiting happens on the caller's (virtual) thread.
 */
final class PlaneCommandRunner implements CommandRunner {

    private final CommandRows rows;
    private final Commands commands;

    PlaneCommandRunner(CommandRows rows, Commands commands) {
        this.rows = rows;
        this.commands = commands;
    }

    @Override
    public Command run(long deviceId, String name, String payloadJson, Duration wait, long createdBy)
            throws InterruptedException {
        AtomicLong commandId = new AtomicLong(-1);
        CompletableFuture<Void> finished = new CompletableFuture<>();
        try (AutoCloseable watch = commands.watch(changed -> {
            if (changed.id() == commandId.get() && changed.status().isFinal()) {
                finished.complete(null);
            }
        })) {
            Command made = rows.create(deviceId, name, payloadJson, wait, createdBy);
            commandId.set(made.id());
            Command now = rows.find(deviceId, made.id()).orElse(made);
            if (!now.status().isFinal()) {
                try {
                    finished.get(wait.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // Not answered in time: the command as it stands (it expires on its own).
                }
            }
            return rows.find(deviceId, made.id()).orElse(made);
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not stop watching a command", e);
        }
    }
}
