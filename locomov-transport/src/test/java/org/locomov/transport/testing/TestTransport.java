package org.locomov.transport.testing;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.locomov.core.DevicePlane;
import org.locomov.core.DeviceStatus;
import org.locomov.core.Transport;
import org.locomov.core.command.Command;
import org.locomov.core.event.DeviceEvent;
import org.locomov.core.firmware.FirmwareJobStatus;
import org.locomov.core.firmware.FirmwareOffer;
import org.locomov.core.listener.Listener;
import org.locomov.core.session.DeviceSession;
import org.locomov.core.session.DeviceSessions.SessionHandle;
import org.locomov.transport.ListenerEvents;
import org.locomov.transport.TcpListener;

/**
 * A real socket listener written for tests of the device plane: plain TCP on loopback, one command per line,
 * so a test (or {@link TestTransportClient}) can act as a device of any transport. Lines from the device:
 * <pre>
 *   hello ID                         → ok ID | refused STATUS      (the device directory decides, as on mov)
 *   answer CID ok|fail JSON          → answered RECORDED|NOT_WAITING
 *   event NAME DATA                  → stored | failed REASON      (after commit)
 *   progress JOB STATUS BYTES [ERR]  → reported
 * </pre>
 * Lines to the device: {@code command CID NAME PAYLOAD}, {@code firmware JOB FIRMWARE SIZE SHA256 PATH},
 * {@code closed REASON}. Events are stored with transport {@code api} (there is no test transport tag).
 *
 * <p>Threads: each connection's handler runs on its event loop; futures of the plane are brought back to it.
 */
public final class TestTransport {

    public static final String NAME = "test-transport";
    private static final int MAX_LINE = 32 * 1024;

    private TestTransport() {
    }

    /** A listener on {@code bindAddress:port} (0: any free port) handing everything to {@code plane}. */
    public static Listener listener(String bindAddress, int port, DevicePlane plane, MeterRegistry registry) {
        ListenerEvents events = new ListenerEvents(NAME, "test", registry);
        Listener.Endpoint endpoint = new Listener.Endpoint("tcp", bindAddress, port, "plain TCP (tests only)", false);
        return new TcpListener(NAME, "test", endpoint, 100, Duration.ofSeconds(2), true, events, registry, channel ->
                channel.pipeline()
                        .addLast(new LineBasedFrameDecoder(MAX_LINE))
                        .addLast(new StringDecoder(StandardCharsets.UTF_8))
                        .addLast(new StringEncoder(StandardCharsets.UTF_8))
                        .addLast(new Handler(plane)));
    }

    private static final class Handler extends SimpleChannelInboundHandler<String> {

        private final DevicePlane plane;
        private Session session; // event loop only
        private SessionHandle handle; // event loop only

        Handler(DevicePlane plane) {
            this.plane = plane;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            String[] words = line.strip().split(" ", 2);
            String rest = words.length > 1 ? words[1] : "";
            switch (words[0]) {
                case "hello" -> hello(ctx, rest);
                case "answer" -> answer(ctx, rest);
                case "event" -> event(ctx, rest);
                case "progress" -> progress(ctx, rest);
                default -> ctx.writeAndFlush("error unknown line\n");
            }
        }

        private void hello(ChannelHandlerContext ctx, String rest) {
            long deviceId = Long.parseLong(rest.strip());
            plane.directory().check(deviceId).whenComplete((status, failure) -> ctx.executor().execute(() -> {
                if (failure != null || status != DeviceStatus.KNOWN) {
                    ctx.writeAndFlush("refused " + (failure != null ? "unavailable" : status.name().toLowerCase(Locale.ROOT)) + "\n");
                    return;
                }
                session = new Session(deviceId, ctx.channel());
                handle = plane.sessions().open(session);
                ctx.writeAndFlush("ok " + deviceId + "\n");
            }));
        }

        private void answer(ChannelHandlerContext ctx, String rest) {
            String[] parts = rest.split(" ", 3);
            plane.commands().answer(session.deviceId(), Long.parseLong(parts[0]), "ok".equals(parts[1]),
                    parts.length > 2 ? parts[2] : null).whenComplete((outcome, failure) -> ctx.writeAndFlush(
                            failure != null ? "failed " + failure.getMessage() + "\n" : "answered " + outcome + "\n"));
        }

        private void event(ChannelHandlerContext ctx, String rest) {
            String[] parts = rest.split(" ", 2);
            DeviceEvent event = new DeviceEvent(session.deviceId(), parts[0], parts.length > 1 ? parts[1] : null,
                    Instant.now(), Transport.API);
            publish(ctx, event);
        }

        private void publish(ChannelHandlerContext ctx, DeviceEvent event) {
            CompletableFuture<Void> stored = plane.events().publish(event);
            if (stored == null) {
                ctx.channel().config().setAutoRead(false);
                plane.events().whenCapacity(() -> ctx.executor().execute(() -> {
                    ctx.channel().config().setAutoRead(true);
                    publish(ctx, event);
                }));
                return;
            }
            stored.whenComplete((ok, failure) -> ctx.writeAndFlush(
                    failure != null ? "failed " + failure.getMessage() + "\n" : "stored\n"));
        }

        private void progress(ChannelHandlerContext ctx, String rest) {
            String[] parts = rest.split(" ", 4);
            plane.firmware().report(session.deviceId(), Long.parseLong(parts[0]),
                    FirmwareJobStatus.valueOf(parts[1].toUpperCase(Locale.ROOT)), Long.parseLong(parts[2]),
                    parts.length > 3 ? parts[3] : null).whenComplete((ok, failure) -> ctx.writeAndFlush(
                            failure != null ? "failed " + failure.getMessage() + "\n" : "reported\n"));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (handle != null) {
                handle.close();
            }
            ctx.fireChannelInactive();
        }
    }

    /** A connected test device as the device plane sees it: takes commands and firmware. */
    private record Session(long deviceId, Channel channel) implements DeviceSession {

        @Override
        public String listener() {
            return NAME;
        }

        @Override
        public String peer() {
            return String.valueOf(channel.remoteAddress());
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
        public CompletableFuture<Void> deliver(Command command) {
            return write("command " + command.id() + " " + command.name() + " " + command.payloadJson() + "\n");
        }

        @Override
        public CompletableFuture<Void> offer(FirmwareOffer offer) {
            return write("firmware " + offer.jobId() + " " + offer.firmwareId() + " " + offer.size() + " "
                    + offer.sha256Hex() + " " + offer.imagePath() + "\n");
        }

        private CompletableFuture<Void> write(String line) {
            CompletableFuture<Void> written = new CompletableFuture<>();
            if (!channel.isActive()) {
                written.completeExceptionally(new IllegalStateException("the connection is closed"));
                return written;
            }
            channel.writeAndFlush(line).addListener(future -> {
                if (future.isSuccess()) {
                    written.complete(null);
                } else {
                    written.completeExceptionally(future.cause());
                }
            });
            return written;
        }

        @Override
        public void close(String reason) {
            channel.writeAndFlush("closed " + reason + "\n").addListener(future -> channel.close());
        }
    }
}
