package org.locomov.coap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.observe.ObserveRelation;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.locomov.core.Refusal;
import org.locomov.core.command.Command;
import org.locomov.core.firmware.FirmwareOffer;
import org.locomov.core.identity.Identity;
import org.locomov.core.session.DeviceSession;
import org.locomov.core.session.DeviceSessions.SessionHandle;
import org.locomov.transport.Peers;

/**
 * {@code GET /commands} with Observe (RFC 7641): the commands handed to the device and not yet answered, as a JSON
 * array {@code [{"id":..,"name":..,"payload":..}]}. While a device observes it, the device has a session in
 * {@code DeviceSessions} that takes commands ({@link CoapSession}); a command delivered to it joins the array
 * and the device is notified (confirmable). The device answers with {@code POST /commands/{id}}
 * ({@link CommandAnswerResource}), after which the command leaves the array. A firmware job is announced the
 * same way, as an element {@code {"firmwareJob":..,"firmware":..,"size":..,"sha256":..,"path":"/firmware/{id}"}};
 * the device fetches the image block-wise ({@link FirmwareResource}) and reports its progress
 * ({@code POST /firmware/{job}/status}); a final report takes the job out of the array. Cancelling the observation (or the
 * DTLS session ending) closes the device session.
 *
 * <p>Thread-safe: per-device state sits in concurrent maps and copy-on-write lists; Californium calls from its
 * protocol threads, delivery comes from the device plane's.
 */
final class CommandsResource extends CoapResource {

    private static final JsonFactory JSON = new JsonFactory();

    private final CoapContext context;
    private final String listener;
    /** Per observing device: its commands waiting for an answer, and its session. */
    private final Map<Long, Observer> observers = new ConcurrentHashMap<>();

    CommandsResource(String listener, CoapContext context) {
        super("commands");
        this.listener = listener;
        this.context = context;
        setObservable(true);
        setObserveType(Type.CON);
        getAttributes().setObservable();
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        context.devices().of(exchange).whenComplete((identity, failure) -> {
            if (identity instanceof Identity.Identified identified) {
                Response response = new Response(ResponseCode.CONTENT);
                Observer observer = observers.get(identified.deviceId());
                response.setPayload(observer == null ? "[]"
                        : json(List.copyOf(observer.pending), List.copyOf(observer.offers)));
                response.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
                exchange.respond(response);
            } else {
                Refusal refusal = failure != null ? org.locomov.core.IngestFailures.refusalFor(failure, null)
                        : ((Identity.Refused) identity).refusal();
                context.events().refused(Peers.describe(exchange.getSourceSocketAddress()), "a GET of /commands",
                        refusal);
                exchange.respond(Replies.refused(refusal, context.maxRequestBytes()));
            }
        });
    }

    @Override
    public void addObserveRelation(ObserveRelation relation) {
        super.addObserveRelation(relation);
        Long deviceId = DeviceOfRequest.deviceOf(relation.getExchange().getRequest().getSourceContext());
        if (deviceId != null) {
            observers.compute(deviceId, (id, observer) -> {
                Observer current = observer != null ? observer : new Observer(id,
                        Peers.describe(relation.getSource()));
                current.relations.add(relation);
                return current;
            });
            Observer observer = observers.get(deviceId);
            if (observer != null) {
                observer.openOnce();
            }
        }
    }

    @Override
    public void removeObserveRelation(ObserveRelation relation) {
        super.removeObserveRelation(relation);
        Long deviceId = DeviceOfRequest.deviceOf(relation.getExchange().getRequest().getSourceContext());
        if (deviceId == null) {
            return;
        }
        Observer[] ended = new Observer[1];
        observers.computeIfPresent(deviceId, (id, observer) -> {
            observer.relations.remove(relation);
            if (observer.relations.isEmpty()) {
                ended[0] = observer;
                return null;
            }
            return observer;
        });
        if (ended[0] != null) {
            // The device's last observation went: its session ends (its commands stay sent; the plane expires them).
            ended[0].closeHandle();
        }
    }

    @Override
    public Resource getChild(String name) {
        return new CommandAnswerResource(name, this, context);
    }

    /** The device answered {@code commandId}: it leaves the array the device observes. */
    void answered(long deviceId, long commandId) {
        Observer observer = observers.get(deviceId);
        if (observer != null && observer.pending.removeIf(command -> command.id() == commandId)) {
            changed(relation -> deviceId == deviceOf(relation));
        }
    }

    /** The firmware offered to {@code deviceId} by job, while it observes; null when none is. */
    FirmwareOffer offerOfFirmware(long deviceId, long firmwareId) {
        Observer observer = observers.get(deviceId);
        return observer == null ? null
                : observer.offers.stream().filter(offer -> offer.firmwareId() == firmwareId).findFirst().orElse(null);
    }

    /** Job {@code jobId} of {@code deviceId} reached a final status: it leaves the array. */
    void jobFinished(long deviceId, long jobId) {
        Observer observer = observers.get(deviceId);
        if (observer != null && observer.offers.removeIf(offer -> offer.jobId() == jobId)) {
            changed(relation -> deviceId == deviceOf(relation));
        }
    }

    private static long deviceOf(ObserveRelation relation) {
        Long id = DeviceOfRequest.deviceOf(relation.getExchange().getRequest().getSourceContext());
        return id == null ? -1 : id;
    }

    static String json(List<Command> commands, List<FirmwareOffer> offers) {
        StringWriter text = new StringWriter();
        try (JsonGenerator generator = JSON.createGenerator(text)) {
            generator.writeStartArray();
            for (Command command : commands) {
                generator.writeStartObject();
                generator.writeNumberField("id", command.id());
                generator.writeStringField("name", command.name());
                if (command.payloadJson() != null) {
                    generator.writeFieldName("payload");
                    generator.writeRawValue(command.payloadJson());
                }
                generator.writeStringField("expiresAt", command.expiresAt().toString());
                generator.writeEndObject();
            }
            for (FirmwareOffer offer : offers) {
                generator.writeStartObject();
                generator.writeNumberField("firmwareJob", offer.jobId());
                generator.writeNumberField("firmware", offer.firmwareId());
                generator.writeStringField("name", offer.name());
                generator.writeStringField("version", offer.version());
                generator.writeNumberField("size", offer.size());
                generator.writeStringField("sha256", offer.sha256Hex());
                generator.writeStringField("path", "/firmware/" + offer.firmwareId());
                generator.writeEndObject();
            }
            generator.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** One observing device: its pending commands, its relations and its session in the device plane. */
    private final class Observer implements DeviceSession {
        private final long deviceId;
        private final String peer;
        private final List<Command> pending = new CopyOnWriteArrayList<>();
        private final List<FirmwareOffer> offers = new CopyOnWriteArrayList<>();
        private final List<ObserveRelation> relations = new CopyOnWriteArrayList<>();
        private volatile SessionHandle handle;

        Observer(long deviceId, String peer) {
            this.deviceId = deviceId;
            this.peer = peer;
        }

        synchronized void openOnce() {
            if (handle == null) {
                handle = context.plane().sessions().open(this);
            }
        }

        synchronized void closeHandle() {
            if (handle != null) {
                handle.close();
            }
        }

        @Override
        public long deviceId() {
            return deviceId;
        }

        @Override
        public String listener() {
            return listener;
        }

        @Override
        public String peer() {
            return peer;
        }

        @Override
        public boolean takesCommands() {
            return true;
        }

        @Override
        public boolean takesFirmware() {
            return true;
        }

        @Override
        public CompletableFuture<Void> offer(FirmwareOffer offer) {
            if (observers.get(deviceId) != this) {
                return CompletableFuture.failedFuture(new IllegalStateException("device " + deviceId
                        + " no longer observes /commands"));
            }
            offers.add(offer);
            changed(relation -> deviceId == deviceOf(relation));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> deliver(Command command) {
            if (observers.get(deviceId) != this) {
                return CompletableFuture.failedFuture(new IllegalStateException("device " + deviceId
                        + " no longer observes /commands"));
            }
            pending.add(command);
            changed(relation -> deviceId == deviceOf(relation));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close(String reason) {
            relations.forEach(ObserveRelation::cancel);
        }
    }
}
