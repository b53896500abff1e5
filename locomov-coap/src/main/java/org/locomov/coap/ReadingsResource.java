package org.locomov.coap;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.locomov.core.DecodeResult;
import org.locomov.core.IngestFailures;
import org.locomov.core.Reading;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;
import org.locomov.core.Transport;
import org.locomov.transport.JsonReadingDecoder;

/**
 * {@code POST /readings} (and {@code POST /gpsflowtemp}, the same with the sensor's field names): a reading
 * object or an array of them with the mov packet's fields, as JSON (Content-Format 50, or none) or CBOR (60).
 * Fields locomov does not know (a sensor's {@code temperature}) are kept in the reading's extra fields. The
 * device is the DTLS session's; an {@code id} in the body must be that device. An array is stored all or
 * nothing, and 2.01 Created is sent after its commit. When the ingest queue is full nothing is queued and the
 * answer is 5.03 with Max-Age: over UDP the device's retry is the backpressure (docs/decisions/1402).
 */
final class ReadingsResource extends DevicePostResource {

    /** Most readings in one request. */
    static final int MAX_READINGS = 1_000;

    private static final JsonReadingDecoder JSON = JsonReadingDecoder.json();
    private static final JsonReadingDecoder CBOR = JsonReadingDecoder.using(new CBORFactory());

    ReadingsResource(String name, CoapContext context) {
        super(name, "a POST to /" + name, context);
    }

    @Override
    CompletableFuture<Outcome> accept(CoapExchange exchange, long deviceId, byte[] body) {
        int format = exchange.getRequestOptions().getContentFormat();
        JsonReadingDecoder decoder = switch (format) {
            case MediaTypeRegistry.UNDEFINED, MediaTypeRegistry.APPLICATION_JSON, MediaTypeRegistry.TEXT_PLAIN -> JSON;
            case MediaTypeRegistry.APPLICATION_CBOR -> CBOR;
            default -> null;
        };
        if (decoder == null) {
            return CompletableFuture.completedFuture(new Outcome.UnsupportedFormat("Content-Format "
                    + MediaTypeRegistry.toString(format) + " is not read here: send JSON (50) or CBOR (60)"));
        }
        return switch (decoder.decodeReadings(body, deviceId, MAX_READINGS, context().clock().instant(), Transport.COAP)) {
            case DecodeResult.Refused<List<Reading>>(Refusal refusal) -> Outcome.refused(refusal);
            case DecodeResult.Decoded<List<Reading>>(List<Reading> readings) -> store(deviceId, readings);
        };
    }

    private CompletableFuture<Outcome> store(long deviceId, List<Reading> readings) {
        var ingest = context().plane().ingest();
        CompletableFuture<Void> committed = readings.size() == 1 ? ingest.submit(readings.getFirst())
                : ingest.submitAll(readings);
        if (committed == null) {
            return Outcome.refused(Refusal.of(RefusalKind.STORAGE_UNAVAILABLE, "server busy, try again later")
                    .forDevice(deviceId));
        }
        return committed.<Outcome>thenApply(ignored -> new Outcome.Created(readings.size()))
                .exceptionally(failure -> new Outcome.Refused(IngestFailures.refusalFor(failure, deviceId)));
    }
}
