package org.locomov.core.command;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What a transport tells the device plane about commands: a device's answer. Delivery goes the other way,
 * through {@link org.locomov.core.session.DeviceSession#deliver}.
 *
 * <p>Thread-safe and non-blocking; the futures complete after the answer is committed.
 */
public interface Commands {

    /** How an answer was taken. */
    enum AnswerOutcome {
        /** Recorded; the command is now answered or failed. */
        RECORDED,
        /** No command of that id is waiting for this device's answer (unknown, another device's, already final). */
        NOT_WAITING
    }

    /**
     * Device {@code deviceId} answered command {@code commandId}.
     *
     * @param ok          the device did it ({@link CommandStatus#ANSWERED}) or not ({@link CommandStatus#FAILED})
     * @param payloadJson what it answered, as JSON text; nullable
     */
    CompletableFuture<AnswerOutcome> answer(long deviceId, long commandId, boolean ok, String payloadJson);

    /**
     * Calls {@code subscriber} with every command as it is after each change committed from now on (made,
     * sent, answered, failed, expired), on any node, on a dispatcher thread (it must not block): what the
     * API's live stream and its {@code waitSeconds} wait on. Close the returned handle to stop. Default: no
     * changes are ever announced (a transport tested on its own).
     */
    default AutoCloseable watch(Consumer<Command> subscriber) {
        return () -> { };
    }
}
