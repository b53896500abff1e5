package org.locomov.coap;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.locomov.core.command.Commands;

/**
 * Command answers kept in memory: the PostgreSQL implementation of {@link Commands} is being built on branch
 * plane-services. A command is waiting once the test says it was sent ({@link #sent}); an answer to any other is
 * {@link AnswerOutcome#NOT_WAITING}, as the real one says.
 */
final class RecordedCommands implements Commands {

    record Answer(long deviceId, long commandId, boolean ok, String payloadJson) {
    }

    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    final List<Answer> answers = new CopyOnWriteArrayList<>();

    void sent(long deviceId, long commandId) {
        waiting.add(deviceId + "/" + commandId);
    }

    @Override
    public CompletableFuture<AnswerOutcome> answer(long deviceId, long commandId, boolean ok, String payloadJson) {
        if (!waiting.remove(deviceId + "/" + commandId)) {
            return CompletableFuture.completedFuture(AnswerOutcome.NOT_WAITING);
        }
        answers.add(new Answer(deviceId, commandId, ok, payloadJson));
        return CompletableFuture.completedFuture(AnswerOutcome.RECORDED);
    }
}
