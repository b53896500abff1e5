package org.locomov.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulates {@link LoadSettings#devices()} meters sending readings over TLS to one server and counts what
 * comes back: acks, errors by reason, and ack latency inside a measured window that follows a warm-up.
 *
 * <p>Usage: {@code new LoadGenerator(settings, DeviceTls.cc3220s(caFile)).run(observer)}. A generator is
 * used for one run at a time; {@link #run} blocks the calling thread until every device has stopped.
 */
public final class LoadGenerator {

    private static final Logger log = LoggerFactory.getLogger(LoadGenerator.class);
    /** Beyond the planned time, how long devices get to finish their last exchange. */
    private static final Duration FINISH_GRACE = Duration.ofSeconds(5);

    private final LoadSettings settings;
    private final SslContext deviceTls;

    /** @param deviceTls the client context every simulated device uses, usually {@link DeviceTls#cc3220s} */
    public LoadGenerator(LoadSettings settings, SslContext deviceTls) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.deviceTls = Objects.requireNonNull(deviceTls, "deviceTls");
    }

    /** Hears when the measured window opens and closes, to sample server resources over the same window. */
    public interface WindowObserver {
        WindowObserver NONE = new WindowObserver() {
            @Override
            public void measurementStarted() {
            }

            @Override
            public void measurementEnded() {
            }
        };

        /** Called once, on the generator's clock thread, when the warm-up is over. */
        void measurementStarted();

        /** Called once, after {@link #measurementStarted}, when the window closes or the packet bound is reached. */
        void measurementEnded();
    }

    public LoadResult run() throws InterruptedException {
        return run(WindowObserver.NONE);
    }

    public LoadResult run(WindowObserver observer) throws InterruptedException {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(settings.ioThreads(), NioIoHandler.newFactory());
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "load-clock");
            thread.setDaemon(true);
            return thread;
        });
        try {
            long startNanos = System.nanoTime();
            LoadTally tally = new LoadTally(startNanos, settings.warmUp(), settings.measure(), settings.maxPackets());
            Window window = new Window(observer);
            ScheduledFuture<?> opening = clock.schedule(window::open, settings.warmUp().toNanos(), TimeUnit.NANOSECONDS);
            clock.schedule(window::close, settings.warmUp().plus(settings.measure()).toNanos(), TimeUnit.NANOSECONDS);

            List<SimulatedDevice> devices = startDevices(loops, tally);
            boolean allFinished = awaitDevices(devices);
            long finishedNanos = System.nanoTime();
            if (opening.cancel(false)) {
                clock.submit(window::open).get();  // the packet bound ended the run during warm-up
            }
            clock.submit(window::close).get();
            if (!allFinished) {
                tally.error("device still busy when the run's time was up");
            }
            LoadResult result = tally.result(settings.mode(), settings.devices(), finishedNanos);
            log.info("{} against {}:{}: {} acks ({} in window, {}/s), {} errors",
                    settings.mode(), settings.host(), settings.port(), result.acks(), result.measuredAcks(),
                    Math.round(result.acksPerSecond()), result.errors());
            return result;
        } catch (ExecutionException e) {
            throw new IllegalStateException("window observer failed", e.getCause());
        } finally {
            clock.shutdownNow();
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    private List<SimulatedDevice> startDevices(EventLoopGroup loops, LoadTally tally) {
        Bootstrap connections = new Bootstrap()
                .group(loops)
                .channel(NioSocketChannel.class)
                .remoteAddress(new InetSocketAddress(settings.host(), settings.port()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.ackTimeout().toMillis());
        List<SimulatedDevice> devices = new ArrayList<>(settings.devices());
        for (int i = 0; i < settings.devices(); i++) {
            devices.add(new SimulatedDevice(settings.firstDeviceId() + i, settings.mode(), settings.inFlight(), tally, connections,
                    device -> new DeviceChannelInitializer(deviceTls, settings.ackTimeout(), device)));
        }
        devices.forEach(SimulatedDevice::start);
        return devices;
    }

    private boolean awaitDevices(List<SimulatedDevice> devices) throws InterruptedException {
        Duration limit = settings.warmUp().plus(settings.measure()).plus(settings.ackTimeout()).plus(FINISH_GRACE);
        try {
            CompletableFuture.allOf(devices.stream().map(SimulatedDevice::finished).toArray(CompletableFuture[]::new))
                    .get(limit.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a simulated device failed", e.getCause());
        }
    }

    /**
     * Calls the observer's two methods once each, in order.
     *
     * <p>Threads: {@link #open} and {@link #close} run on the clock thread; the flags are atomic so that a
     * late scheduled call after an early end does nothing.
     */
    private static final class Window {
        private final WindowObserver observer;
        private final AtomicBoolean opened = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();

        Window(WindowObserver observer) {
            this.observer = observer;
        }

        void open() {
            if (opened.compareAndSet(false, true)) {
                observer.measurementStarted();
            }
        }

        void close() {
            if (opened.get() && closed.compareAndSet(false, true)) {
                observer.measurementEnded();
            }
        }
    }
}
