package org.locomov.coap;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.locomov.core.IngestFailures;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;
import org.locomov.core.command.Commands.AnswerOutcome;

/**
 * {@code POST /commands/{id}}: the device's answer to a command, its body (JSON, or empty) the answer; with
 * {@code ?failed} the device says it could not do it. 2.01 after the answer is committed; 4.03
 * when no command of that id waits for this device's answer.
 */
final class CommandAnswerResource extends DevicePostResource {

    private final String id;
    private final CommandsResource commands;

    CommandAnswerResource(String id, CommandsResource commands, CoapContext context) {
        super(id, "an answer to command " + id, context);
        this.id = id;
        this.commands = commands;
        setParent(commands);
    }

    @Override
    CompletableFuture<Outcome> accept(CoapExchange exchange, long deviceId, byte[] body) {
        long commandId;
        try {
            commandId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return Outcome.refused(Refusal.of(RefusalKind.MALFORMED, "'" + id + "' is not a command id")
                    .forDevice(deviceId));
        }
        boolean ok = !exchange.getRequestOptions().getUriQuery().contains("failed");
        String answer = body.length == 0 ? null : new String(body, StandardCharsets.UTF_8);
        return context().plane().commands().answer(deviceId, commandId, ok, answer)
                .<Outcome>thenApply(outcome -> {
                    if (outcome == AnswerOutcome.NOT_WAITING) {
                        return new Outcome.Refused(Refusal.of(RefusalKind.NOT_AUTHORISED,
                                "no command " + commandId + " waits for an answer from device " + deviceId)
                                .forDevice(deviceId));
                    }
                    commands.answered(deviceId, commandId);
                    return new Outcome.Created(0);
                })
                .exceptionally(failure -> new Outcome.Refused(IngestFailures.refusalFor(failure, deviceId)));
    }
}
