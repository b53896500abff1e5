package org.locomov.particle;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.locomov.core.DecodeResult;
import org.locomov.core.DevicePlane;
import org.locomov.core.Reading;
import org.locomov.core.Refusal;
import org.locomov.core.RefusalKind;
import org.locomov.core.Transport;
import org.locomov.core.command.Command;
import org.locomov.core.command.ReservedCommands;
import org.locomov.core.event.DeviceEvent;
import org.locomov.core.firmware.FirmwareOffer;
import org.locomov.core.session.DeviceDescriptions;
import org.locomov.core.session.DeviceSessions.SessionHandle;
import org.locomov.particle.ParticleRefusals.Reason;
import org.locomov.particle.coap.CoapMessage;
import org.locomov.particle.coap.CoapType;
import org.locomov.particle.keys.ParticleDevice;
import org.locomov.particle.protocol.OutboundCounter;
import org.locomov.particle.protocol.SparkMessages;
import org.locomov.transport.Backpressure;
import org.locomov.transport.Drain;
import org.locomov.transport.JsonReadingDecoder;
import org.locomov.transport.ListenerEvents;
import org.locomov.transport.Peers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's session after the handshake: Hello, then the messages both ways. Device messages: ping,
 * time, events (stored, and readings when so named), subscriptions (to other devices' and users' events, through
 * the listener's {@link EventRouter});
 * responses to what the server asked (matched by token): Describe (asked right after Hello and published to
 * {@link DeviceDescriptions}), function calls, variable reads, signal, OTA.
 *
 * <p>Per connection; every field is touched on the channel's event loop only. {@link ParticleSession} and
 * the futures of the device plane come back to it through {@link #onLoop}.
 */
final class ParticleConnection extends SimpleChannelInboundHandler<CoapMessage> {

    private static final Logger log = LoggerFactory.getLogger(ParticleConnection.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SERVICE_UNAVAILABLE = 0xA3; // 5.03
    private static final int MAX_ARGUMENT_CHARS = 63;

    private final String listener;
    private final ParticleSettings settings;
    private final DevicePlane plane;
    private final DeviceDescriptions descriptions;
    private final EventRouter router;
    private final ParticleSessions sessions;
    private final ParticleRefusals refusals;
    private final ListenerEvents events;
    private final ParticleDevice device;
    private final OutboundCounter counter;

    private final Map<Integer, Pending> pending = new HashMap<>();
    private final List<CompletableFuture<Description>> waitingForDescription = new ArrayList<>();
    private ChannelHandlerContext ctx;
    private ParticleSession session;
    private SessionHandle handle;
    private Description description;
    private OtaTransfer ota;
    private Backpressure.ReadPause pause;
    private boolean helloDone;
    private boolean closed;
    private int storing;
    private boolean draining;

    private record Pending(CompletableFuture<CoapMessage> answer, ScheduledFuture<?> timeout) {
    }

    ParticleConnection(String listener, ParticleSettings settings, DevicePlane plane, DeviceDescriptions descriptions,
            EventRouter router, ParticleSessions sessions, ParticleRefusals refusals, ListenerEvents events, ParticleDevice device, int serverFirstMessageId) {
        this.listener = listener;
        this.settings = settings;
        this.plane = plane;
        this.descriptions = descriptions;
        this.router = router;
        this.sessions = sessions;
        this.refusals = refusals;
        this.events = events;
        this.device = device;
        this.counter = new OutboundCounter(serverFirstMessageId, 1);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.pause = Backpressure.ReadPause.autoRead(ctx.channel());
        this.session = new ParticleSession(this, device.deviceId(), device.particleId(), listener, peer());
    }

    private String peer() {
        return Peers.describe(ctx.channel().remoteAddress());
    }

    // ---- called through ParticleSession, from any thread ----

    <T> CompletableFuture<T> onLoop(Supplier<CompletableFuture<T>> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        ctx.executor().execute(() -> {
            if (closed) {
                result.completeExceptionally(new IllegalStateException("the device's session is closed"));
                return;
            }
            try {
                task.get().whenComplete((value, failure) -> {
                    if (failure != null) {
                        result.completeExceptionally(failure);
                    } else {
                        result.complete(value);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    boolean open() {
        return helloDone && !closed;
    }

    boolean updating() {
        return ota != null;
    }

    void close(String reason) {
        ctx.executor().execute(() -> {
            if (!closed) {
                log.info("{} closing the session of device {} ({}) from {}: {}", listener, device.deviceId(),
                        device.particleId(), peer(), reason);
                ctx.close();
            }
        });
    }

    // ---- inbound ----

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, CoapMessage message) {
        if (!helloDone) {
            if (message.isRequest() && message.resource().equals("h")) {
                hello(message);
            } else {
                refuse(Reason.PROTOCOL_VIOLATION, "the first message was " + message + ", not Hello");
            }
            return;
        }
        if (message.code() == CoapMessage.EMPTY && message.type() == CoapType.CON) {
            ctx.writeAndFlush(SparkMessages.pingAck(message));
        } else if (message.type() == CoapType.ACK || message.type() == CoapType.RST || message.isResponse()) {
            answered(message);
        } else {
            request(message);
        }
    }

    private void hello(CoapMessage hello) {
        byte[] payload = hello.payload();
        boolean newlyUpgraded = payload.length >= 6 && (payload[5] & 1) == 1;
        ctx.writeAndFlush(SparkMessages.serverHello(counter.nextMessageId(), counter.nextToken()));
        helloDone = true;
        sessions.takeOver(session);
        handle = plane.sessions().open(session);
        log.info("{} device {} ({}) connected from {}{}", listener, device.deviceId(), device.particleId(), peer(),
                newlyUpgraded ? ", newly upgraded" : "");
        // Asked at once (not on first call) so that every node's API can list the device's functions and
        // variables before anyone calls one (decision 1021); the answer is published when it arrives.
        described().exceptionally(failure -> {
            log.info("{} device {} ({}) did not describe itself: {}", listener, device.deviceId(), device.particleId(),
                    rootCause(failure).getMessage());
            return null;
        });
    }

    private void request(CoapMessage message) {
        switch (message.resource()) {
            case "t" -> ctx.writeAndFlush(SparkMessages.timeResponse(message, Instant.now().getEpochSecond()));
            case "e", "E" -> {
                if (message.code() == CoapMessage.GET) {
                    subscribe(message);
                } else {
                    published(message);
                }
            }
            case "c" -> {
                acknowledge(message);
                if (ota != null) {
                    ota.chunkMissed(message.payload());
                }
            }
            case "h" -> acknowledge(message);
            default -> {
                if (message.type() == CoapType.CON) {
                    ctx.writeAndFlush(new CoapMessage(CoapType.ACK, CoapMessage.NOT_FOUND, message.messageId(),
                            message.token(), List.of(), new byte[0]));
                }
            }
        }
    }

    private void acknowledge(CoapMessage message) {
        if (message.type() == CoapType.CON) {
            ctx.writeAndFlush(SparkMessages.emptyAck(message));
        }
    }

    /**
     * A device event ({@code /e/NAME} public, {@code /E/NAME} private): stored; a reading too when its name says
     * so. A CON event is ACKed after commit.
     */
    private void published(CoapMessage message) {
        List<String> path = message.path();
        String name = String.join("/", path.subList(1, path.size()));
        String data = message.payloadLength() == 0 ? null : new String(message.payload(), StandardCharsets.UTF_8);
        if (name.isEmpty() || name.length() > DeviceEvent.MAX_NAME_LENGTH
                || (data != null && data.length() > DeviceEvent.MAX_DATA_LENGTH)) {
            events.refused(peer(), "an event", Refusal.of(RefusalKind.OUT_OF_RANGE,
                    "event name must be 1 to " + DeviceEvent.MAX_NAME_LENGTH + " characters").forDevice(device.deviceId()));
            answerEvent(message, CoapMessage.BAD_REQUEST);
            return;
        }
        Instant now = Instant.now();
        List<CompletableFuture<Void>> stores = new ArrayList<>();
        stores.add(Backpressure.submit(Backpressure.events(plane.events()),
                new DeviceEvent(device.deviceId(), name, data, now, Transport.PARTICLE, message.resource().equals("E")),
                ctx.executor(), pause));
        if (settings.readingEvents().contains(name) && data != null) {
            DecodeResult<List<Reading>> reading = JsonReadingDecoder.json().decodeReadings(message.payload(),
                    device.deviceId(), 1, now, Transport.PARTICLE);
            switch (reading) {
                case DecodeResult.Decoded<List<Reading>> decoded -> decoded.value().forEach(r -> stores.add(
                        Backpressure.submit(Backpressure.readings(plane.ingest()), r, ctx.executor(), pause)));
                case DecodeResult.Refused<List<Reading>> refused ->
                        events.refused(peer(), "a reading event", refused.refusal().forDevice(device.deviceId()));
            }
        }
        storing++;
        CompletableFuture.allOf(stores.toArray(CompletableFuture[]::new)).whenComplete((ok, failure) ->
                ctx.executor().execute(() -> {
                    storing--;
                    if (failure != null) {
                        log.info("{} could not store event {} of device {}: {}", listener, name, device.deviceId(),
                                failure.getMessage());
                        answerEvent(message, SERVICE_UNAVAILABLE);
                    } else {
                        events.acknowledged(stores.size() - 1);
                        answerEvent(message, CoapMessage.EMPTY);
                    }
                    if (draining && storing == 0) {
                        ctx.close();
                    }
                }));
    }

    /** NON events get no answer (the protocol has none); CON events an ACK, empty after commit. */
    private void answerEvent(CoapMessage message, int code) {
        if (message.type() == CoapType.CON && !closed) {
            ctx.writeAndFlush(new CoapMessage(CoapType.ACK, code, message.messageId(), new byte[0], List.of(), new byte[0]));
        }
    }

    /** A subscription: the router sends what it admits (decision 1541); a public one, like Particle's, by prefix. */
    private void subscribe(CoapMessage message) {
        router.subscribe(this, EventSubscription.of(message));
        acknowledge(message);
    }

    /** This session's device. */
    long deviceId() {
        return device.deviceId();
    }

    /** Sends an event the device subscribed to; from the router's thread. */
    void deliverEvent(String name, String data, boolean isPublic) {
        ctx.executor().execute(() -> {
            if (!closed) {
                ctx.writeAndFlush(SparkMessages.event(counter.nextMessageId(), name, data, isPublic));
            }
        });
    }

    private void answered(CoapMessage message) {
        if (message.type() == CoapType.ACK && message.code() == CoapMessage.EMPTY) {
            return; // the answer comes separately, with the token
        }
        Pending waiting = pending.remove(message.tokenValue());
        if (waiting != null) {
            waiting.timeout().cancel(false);
            waiting.answer().complete(message);
        }
    }

    // ---- outbound requests ----

    /** Sends a request with the next id and token; completes with the device's answer carrying that token. */
    CompletableFuture<CoapMessage> ask(BiFunction<Integer, Integer, CoapMessage> make) {
        int messageId = counter.nextMessageId();
        int token = counter.nextToken();
        CompletableFuture<CoapMessage> answer = new CompletableFuture<>();
        ScheduledFuture<?> timeout = ctx.executor().schedule(() -> {
            Pending expired = pending.remove(token);
            if (expired != null) {
                expired.answer().completeExceptionally(new TimeoutException("the device did not answer within "
                        + settings.commandTimeout()));
            }
        }, settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        Pending previous = pending.put(token, new Pending(answer, timeout));
        if (previous != null) {
            previous.timeout().cancel(false);
            previous.answer().completeExceptionally(new IllegalStateException("256 requests without an answer"));
        }
        ctx.writeAndFlush(make.apply(messageId, token));
        return answer;
    }

    /** The device's Describe, asked on first need (as the original server does) and then kept. */
    CompletableFuture<Description> described() {
        if (description != null) {
            return CompletableFuture.completedFuture(description);
        }
        CompletableFuture<Description> result = new CompletableFuture<>();
        waitingForDescription.add(result);
        if (waitingForDescription.size() == 1) {
            ask(SparkMessages::describe).whenComplete((answer, failure) -> {
                List<CompletableFuture<Description>> waiting = new ArrayList<>(waitingForDescription);
                waitingForDescription.clear();
                if (failure != null) {
                    waiting.forEach(w -> w.completeExceptionally(failure));
                } else {
                    description = Description.parse(answer.payload());
                    publish(description);
                    waiting.forEach(w -> w.complete(description));
                }
            });
        }
        return result;
    }

    /** Makes what the device described visible to every node's API; the session goes on if that fails. */
    private void publish(Description described) {
        descriptions.publish(device.deviceId(), described.toDeviceDescription()).exceptionally(failure -> {
            log.info("{} could not record the description of device {}: {}", listener, device.deviceId(),
                    rootCause(failure).getMessage());
            return null;
        });
    }

    CompletableFuture<Void> deliver(Command command) {
        CompletableFuture<String> answer = answer(command);
        answer.whenComplete((value, failure) -> {
            String reply = failure == null ? value : quote(rootCause(failure).getMessage());
            plane.commands().answer(device.deviceId(), command.id(), failure == null, reply)
                    .exceptionally(e -> {
                        log.info("{} could not record the answer to command {} of device {}: {}", listener,
                                command.id(), device.deviceId(), e.getMessage());
                        return null;
                    });
        });
        return CompletableFuture.completedFuture(null);
    }

    /** A function call, or what a reserved command asks (decision 1021); the answer as JSON. */
    private CompletableFuture<String> answer(Command command) {
        String name = command.name();
        if (!ReservedCommands.isReserved(name)) {
            return callFunction(name, argument(command.payloadJson()));
        }
        if (name.equals(ReservedCommands.SIGNAL_ON) || name.equals(ReservedCommands.SIGNAL_OFF)) {
            return signal(name.equals(ReservedCommands.SIGNAL_ON)).thenApply(done -> "true");
        }
        return ReservedCommands.variableOf(name).map(this::readVariable).orElseGet(() ->
                CompletableFuture.failedFuture(new IllegalArgumentException("a Particle device does not know " + name)));
    }

    private CompletableFuture<String> callFunction(String function, String argument) {
        if (argument.length() > MAX_ARGUMENT_CHARS) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "a function argument is at most " + MAX_ARGUMENT_CHARS + " characters"));
        }
        return described().thenCompose(described -> {
            if (!described.functions().contains(function)) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("the device has no function " + function));
            }
            return ask((id, token) -> SparkMessages.functionCall(id, token, function, argument)).thenApply(answer -> {
                if (answer.code() != CoapMessage.CHANGED || answer.payloadLength() < 4) {
                    throw new IllegalStateException("function " + function + " failed on the device ("
                            + CoapMessage.codeText(answer.code()) + ")");
                }
                return Integer.toString(java.nio.ByteBuffer.wrap(answer.payload()).getInt());
            });
        });
    }

    CompletableFuture<String> readVariable(String variable) {
        return described().thenCompose(described -> {
            Integer type = described.variables().get(variable);
            if (type == null) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("the device has no variable " + variable));
            }
            return ask((id, token) -> SparkMessages.variableRequest(id, token, variable)).thenApply(answer -> {
                if (answer.code() != CoapMessage.CONTENT) {
                    throw new IllegalStateException("variable " + variable + " could not be read ("
                            + CoapMessage.codeText(answer.code()) + ")");
                }
                return VariableValues.toJson(type, answer.payload());
            });
        });
    }

    CompletableFuture<Void> signal(boolean on) {
        return ask((id, token) -> SparkMessages.signal(id, token, on)).thenApply(answer -> {
            if (answer.code() != CoapMessage.CHANGED) {
                throw new IllegalStateException("the device refused the signal (" + CoapMessage.codeText(answer.code()) + ")");
            }
            return null;
        });
    }

    CompletableFuture<Void> offer(FirmwareOffer offer) {
        if (ota != null) {
            return CompletableFuture.failedFuture(new IllegalStateException("an update is already running"));
        }
        ota = new OtaTransfer(this, offer, settings.otaChunkBytes(), plane.firmware(), listener);
        return ota.start();
    }

    void updateFinished(OtaTransfer transfer) {
        if (ota == transfer) {
            ota = null;
        }
    }

    <T> void onLoopLater(CompletableFuture<T> future, java.util.function.BiConsumer<T, Throwable> then) {
        future.whenComplete((value, failure) -> ctx.executor().execute(() -> then.accept(value, failure)));
    }

    /** Functions take their argument as a string: a JSON string's text, any other JSON value as written. */
    private static String argument(String payloadJson) {
        if (payloadJson == null) {
            return "";
        }
        try {
            JsonNode value = JSON.readTree(payloadJson);
            return value == null || value.isNull() ? "" : value.isTextual() ? value.asText() : payloadJson;
        } catch (java.io.IOException notJson) {
            return payloadJson;
        }
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text == null ? "failed" : text);
        } catch (java.io.IOException e) {
            return "\"failed\"";
        }
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && (cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException)) {
            cause = cause.getCause();
        }
        return cause;
    }

    // ---- lifecycle ----

    private void refuse(Reason reason, String detail) {
        refusals.refuse(peer(), device.particleId(), reason, detail);
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            log.info("{} closing the session of device {} from {}: silent for {}", listener, device.deviceId(), peer(),
                    settings.idleTimeout());
            ctx.close();
        } else if (event == Drain.INSTANCE) {
            draining = true;
            if (storing == 0) {
                ctx.close();
            }
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closed = true;
        for (Pending waiting : pending.values()) {
            waiting.timeout().cancel(false);
            waiting.answer().completeExceptionally(new IllegalStateException("the device disconnected"));
        }
        pending.clear();
        if (ota != null) {
            ota.connectionClosed();
            ota = null;
        }
        router.unsubscribe(this);
        if (helloDone) {
            sessions.remove(session);
            handle.close();
            log.info("{} device {} ({}) disconnected", listener, device.deviceId(), device.particleId());
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.info("{} connection of device {} from {} failed: {}", listener, device.deviceId(), peer(), cause.toString());
        ctx.close();
    }
}
