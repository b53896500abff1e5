package org.locomov.coap;

import java.util.concurrent.CompletableFuture;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.locomov.core.IngestFailures;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;
import org.locomov.core.identity.Identity;
import org.locomov.transport.Peers;

/**
 * A resource devices POST to, as a pipeline: size limit → who sent it → {@link #accept} (decode, hand to the
 * device plane) → the response once that future completes. A refusal at any step becomes its CoAP response
 * through {@link Replies} and one log line with the peer, the device when known, and the reason.
 *
 * <p>Called on Californium's protocol-stage threads; {@link #accept}'s future completes on the device plane's, and
 * the answer is handed back to the exchange's executor (Californium's striped protocol stage).
 */
abstract class DevicePostResource extends CoapResource {

    /** What a resource makes of a request: 2.01 after commit, or a refusal. */
    sealed interface Outcome {
        record Created(int count) implements Outcome {
        }

        record Refused(Refusal refusal) implements Outcome {
        }

        record UnsupportedFormat(String reason) implements Outcome {
        }

        static CompletableFuture<Outcome> refused(Refusal refusal) {
            return CompletableFuture.completedFuture(new Refused(refusal));
        }
    }

    private final CoapContext context;
    private final String what;

    /** @param what the request in log lines, e.g. "a POST to /readings" */
    DevicePostResource(String name, String what, CoapContext context) {
        super(name);
        this.what = what;
        this.context = context;
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
        byte[] body = exchange.getRequestPayload();
        if (body.length > context.maxRequestBytes()) {
            refuse(exchange, Refusal.of(RefusalKind.OVERSIZE, "request body over " + context.maxRequestBytes()
                    + " bytes"));
            return;
        }
        if (!context.inFlight().enter()) {
            refuse(exchange, Refusal.of(RefusalKind.SHUTTING_DOWN, "server is shutting down"));
            return;
        }
        context.devices().of(exchange)
                .thenCompose(identity -> switch (identity) {
                    case Identity.Identified identified -> accept(exchange, identified.deviceId(), body);
                    case Identity.Refused refused -> Outcome.refused(refused.refusal());
                })
                .exceptionally(failure -> new Outcome.Refused(IngestFailures.refusalFor(failure, null)))
                // Answered on the exchange's own executor, not on the thread that completed the future (the batch
                // writer's): encrypting the responses there would hold up the next batch.
                .whenComplete((outcome, impossible) -> exchange.advanced().execute(() -> {
                    try {
                        answer(exchange, outcome);
                    } finally {
                        context.inFlight().leave();
                    }
                }));
    }

    /** Decodes {@code body} of device {@code deviceId} and hands it to the device plane; completes after commit. */
    abstract CompletableFuture<Outcome> accept(CoapExchange exchange, long deviceId, byte[] body);

    private void answer(CoapExchange exchange, Outcome outcome) {
        switch (outcome) {
            case Outcome.Created(int count) -> {
                context.events().acknowledged(count);
                exchange.respond(new Response(ResponseCode.CREATED));
            }
            case Outcome.Refused(Refusal refusal) -> refuse(exchange, refusal);
            case Outcome.UnsupportedFormat(String reason) -> {
                context.events().refused(peer(exchange), what, Refusal.of(RefusalKind.MALFORMED, reason));
                exchange.respond(Replies.unsupportedFormat(reason));
            }
        }
    }

    private void refuse(CoapExchange exchange, Refusal refusal) {
        context.events().refused(peer(exchange), what, refusal);
        exchange.respond(Replies.refused(refusal, context.maxRequestBytes()));
    }

    private static String peer(CoapExchange exchange) {
        return Peers.describe(exchange.getSourceSocketAddress());
    }

    CoapContext context() {
        return context;
    }
}
