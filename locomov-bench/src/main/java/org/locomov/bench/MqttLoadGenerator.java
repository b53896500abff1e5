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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT phase's load: {@code devices} {@link MqttBenchDevice}s on one server, each over its own TLS
 * connection with up to {@code inFlight} QoS 1 publishes unacknowledged, for a warm-up and a measured window.
 * The same generator runs against locomov and against Mosquitto.
 */
final class MqttLoadGenerator {

    private static final Logger log = LoggerFactory.getLogger(MqttLoadGenerator.class);
    private static final Duration FINISH_GRACE = Duration.ofSeconds(15);

    private final String host;
    private final int port;
    private final SslContext tls;
    private final Map<Long, String> passwords;
    private final int inFlight;
    private final Duration warmUp;
    private final Duration measure;
    private final int ioThreads;

    /** @param passwords device id → password (its token; anything for Mosquitto) */
    MqttLoadGenerator(String host, int port, SslContext tls, Map<Long, String> passwords, int inFlight,
            Duration warmUp, Duration measure, int ioThreads) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.passwords = Map.copyOf(passwords);
        this.inFlight = inFlight;
        this.warmUp = warmUp;
        this.measure = measure;
        this.ioThreads = ioThreads;
    }

    LoadResult run(LoadGenerator.WindowObserver observer) throws InterruptedException {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(ioThreads, NioIoHandler.newFactory());
        try {
            long start = System.nanoTime();
            LoadTally tally = new LoadTally(start, warmUp, measure, LoadSettings.UNLIMITED);
            Bootstrap connections = new Bootstrap().group(loops).channel(NioSocketChannel.class)
                    .remoteAddress(new InetSocketAddress(host, port))
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
            List<MqttBenchDevice> devices = new ArrayList<>();
            passwords.forEach((id, password) -> devices.add(new MqttBenchDevice(id, password, inFlight, tally)));
            devices.forEach(device -> device.start(connections, tls));
            long untilWindow = warmUp.toNanos() - (System.nanoTime() - start);
            if (untilWindow > 0) {
                TimeUnit.NANOSECONDS.sleep(untilWindow);
            }
            observer.measurementStarted();
            long untilEnd = warmUp.plus(measure).toNanos() - (System.nanoTime() - start);
            if (untilEnd > 0) {
                TimeUnit.NANOSECONDS.sleep(untilEnd);
            }
            observer.measurementEnded();
            try {
                CompletableFuture.allOf(devices.stream().map(MqttBenchDevice::finished).toArray(CompletableFuture[]::new))
                        .get(FINISH_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                tally.error("device still busy when the run's time was up");
            } catch (ExecutionException e) {
                throw new IllegalStateException("a simulated device failed", e.getCause());
            }
            LoadResult result = tally.result(LoadMode.PERSISTENT, devices.size(), System.nanoTime());
            log.info("MQTT against {}:{}: {} PUBACKs ({} in window, {}/s), {} errors", host, port, result.acks(),
                    result.measuredAcks(), Math.round(result.acksPerSecond()), result.errors());
            return result;
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }
}
