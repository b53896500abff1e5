package org.locomov.coap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.locomov.core.IngestFailures;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;
import org.locomov.core.firmware.FirmwareJobStatus;
import org.locomov.core.firmware.FirmwareOffer;
import org.locomov.core.identity.Identity;
import org.locomov.transport.JsonFields;
import org.locomov.transport.Peers;

/**
 * {@code /firmware}: {@code GET /firmware/{id}} is the image of firmware {@code id}, for a device it was offered
 * to ({@link CommandsResource}); Californium sends it block-wise (Block2), keeping the response for the transfer
 * so the image is read once per fetch. {@code POST /firmware/{job}/status} with
 * {@code {"status":"running|done|failed","bytes":N,"error":".."}} reports progress to the device plane; 2.01 after
 * commit.
 */
final class FirmwareResource extends CoapResource {

    private final CoapContext context;
    private final CommandsResource announcements;

    FirmwareResource(CoapContext context, CommandsResource announcements) {
        super("firmware");
        this.context = context;
        this.announcements = announcements;
    }

    @Override
    public Resource getChild(String name) {
        return new Image(name, this);
    }

    /** {@code /firmware/{id}}; its child {@code status} takes reports of job {@code id}. */
    private final class Image extends CoapResource {
        private final String id;

        Image(String id, FirmwareResource parent) {
            super(id);
            this.id = id;
            setParent(parent);
        }

        @Override
        public Resource getChild(String name) {
            return "status".equals(name) ? new Status(id, this) : null;
        }

        @Override
        public void handleGET(CoapExchange exchange) {
            String peer = Peers.describe(exchange.getSourceSocketAddress());
            context.devices().of(exchange).thenCompose(identity -> {
                if (!(identity instanceof Identity.Identified identified)) {
                    return CompletableFuture.completedFuture(Replies.refused(((Identity.Refused) identity).refusal(),
                            context.maxRequestBytes()));
                }
                long firmwareId;
                try {
                    firmwareId = Long.parseLong(id);
                } catch (NumberFormatException e) {
                    return CompletableFuture.completedFuture(refuse(peer, Refusal.of(RefusalKind.MALFORMED,
                            "'" + id + "' is not a firmware id").forDevice(identified.deviceId())));
                }
                FirmwareOffer offer = announcements.offerOfFirmware(identified.deviceId(), firmwareId);
                if (offer == null) {
                    return CompletableFuture.completedFuture(refuse(peer, Refusal.of(RefusalKind.NOT_AUTHORISED,
                            "firmware " + firmwareId + " is not offered to this device").forDevice(identified.deviceId())));
                }
                return context.plane().firmware().image(firmwareId).thenApply(image -> {
                    Response response = new Response(ResponseCode.CONTENT);
                    response.setPayload(image);
                    response.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_OCTET_STREAM);
                    return response;
                });
            }).exceptionally(failure -> refuse(peer, IngestFailures.refusalFor(failure, null)))
                    .thenAccept(exchange::respond);
        }

        private Response refuse(String peer, Refusal refusal) {
            context.events().refused(peer, "a GET of /firmware/" + id, refusal);
            return Replies.refused(refusal, context.maxRequestBytes());
        }
    }

    /** {@code POST /firmware/{job}/status}. */
    private final class Status extends DevicePostResource {
        private final String job;

        Status(String job, Image parent) {
            super("status", "a firmware status of job " + job, context);
            this.job = job;
            setParent(parent);
        }

        @Override
        CompletableFuture<Outcome> accept(CoapExchange exchange, long deviceId, byte[] body) {
            long jobId;
            FirmwareJobStatus status = null;
            long bytes = 0;
            String error = null;
            try (JsonParser parser = JsonFields.JSON.createParser(body)) {
                jobId = Long.parseLong(job);
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw new IOException("a status must be a JSON object");
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    parser.nextToken();
                    switch (field) {
                        case "status" -> status = FirmwareJobStatus.valueOf(parser.getValueAsString("").toUpperCase(Locale.ROOT));
                        case "bytes" -> bytes = parser.getValueAsLong();
                        case "error" -> error = parser.getValueAsString();
                        default -> parser.skipChildren();
                    }
                }
            } catch (IOException | IllegalArgumentException e) {
                return Outcome.refused(Refusal.of(RefusalKind.MALFORMED, "firmware status: " + e.getMessage())
                        .forDevice(deviceId));
            }
            if (status == null || status == FirmwareJobStatus.QUEUED) {
                return Outcome.refused(Refusal.of(RefusalKind.MISSING_FIELD,
                        "firmware status needs \"status\": running, done or failed").forDevice(deviceId));
            }
            FirmwareJobStatus reported = status;
            return context.plane().firmware().report(deviceId, jobId, reported, bytes, error)
                    .<Outcome>thenApply(ignored -> {
                        if (reported.isFinal()) {
                            announcements.jobFinished(deviceId, jobId);
                        }
                        return new Outcome.Created(0);
                    })
                    .exceptionally(failure -> new Outcome.Refused(IngestFailures.refusalFor(failure, deviceId)));
        }
    }
}
