package org.locomov.coap;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.locomov.core.IngestFailures;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;
import org.locomov.core.Transport;
import org.locomov.core.event.DeviceEvent;

/**
 * {@code /events}: its child {@code /events/{name}} takes a device event by POST, the body (UTF-8 text, any
 * Content-Format) as the event's data; 2.01 Created after the event is committed. Any name is a child, made per
 * request; the name's limits are the device plane's ({@link DeviceEvent}).
 */
final class EventsResource extends CoapResource {

    private final CoapContext context;

    EventsResource(CoapContext context) {
        super("events");
        this.context = context;
    }

    @Override
    public Resource getChild(String name) {
        return new Named(name, this);
    }

    /** One event name. */
    private static final class Named extends DevicePostResource {
        private final String eventName;

        Named(String eventName, EventsResource parent) {
            super(eventName, "a POST to /events/" + eventName, parent.context);
            this.eventName = eventName;
            setParent(parent);
        }

        @Override
        CompletableFuture<Outcome> accept(CoapExchange exchange, long deviceId, byte[] body) {
            String data = body.length == 0 ? null : new String(body, StandardCharsets.UTF_8);
            DeviceEvent event;
            try {
                event = new DeviceEvent(deviceId, eventName, data, context().clock().instant(), Transport.COAP);
            } catch (IllegalArgumentException e) {
                return Outcome.refused(Refusal.of(RefusalKind.OUT_OF_RANGE, e.getMessage()).forDevice(deviceId));
            }
            CompletableFuture<Void> committed = context().plane().events().publish(event);
            if (committed == null) {
                return Outcome.refused(Refusal.of(RefusalKind.STORAGE_UNAVAILABLE, "server busy, try again later")
                        .forDevice(deviceId));
            }
            return committed.<Outcome>thenApply(ignored -> new Outcome.Created(1))
                    .exceptionally(failure -> new Outcome.Refused(IngestFailures.refusalFor(failure, deviceId)));
        }
    }
}
