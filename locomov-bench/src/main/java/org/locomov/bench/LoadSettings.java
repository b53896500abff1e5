package org.locomov.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What the {@link LoadGenerator} does, checked once when built.
 *
 * @param host           the server's address (servers under test bind 127.0.0.1)
 * @param port           the server's TLS port
 * @param caCertificate  the root CA file the simulated devices trust, as a CC3220S holds one
 * @param mode           how devices use connections
 * @param devices        simulated devices, each with one exchange in flight at a time (default {@value #DEFAULT_DEVICES})
 * @param firstDeviceId  the {@code id} of the first device; the others follow it (default {@value #DEFAULT_FIRST_DEVICE_ID})
 * @param warmUp         how long the load runs before measuring starts; its acks are not in the rate (default 0)
 * @param measure        how long the measured window lasts at most (default 20 s)
 * @param maxPackets     how many packets are sent at most, warm-up included; {@link #UNLIMITED} for no bound
 * @param ackTimeout     how long a device waits for an ack (or a handshake) before counting an error (default 10 s)
 * @param ioThreads      event-loop threads of the generator (default: one per core)
 * @param inFlight       persistent mode: packets a device sends before waiting for the first ack (default 1, as a
 *                       CC3220S; more measures a client that pipelines, decision 1500)
 */
public record LoadSettings(
        String host,
        int port,
        Path caCertificate,
        LoadMode mode,
        int devices,
        long firstDeviceId,
        Duration warmUp,
        Duration measure,
        long maxPackets,
        Duration ackTimeout,
        int ioThreads,
        int inFlight) {

    public static final long UNLIMITED = Long.MAX_VALUE;
    public static final int DEFAULT_DEVICES = 64;
    public static final long DEFAULT_FIRST_DEVICE_ID = 1_000_000;
    public static final Duration DEFAULT_MEASURE = Duration.ofSeconds(20);
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(10);
    /** Enough connections for any server this machine can run; more only measures the generator's queues. */
    public static final int MAX_DEVICES = 10_000;

    public LoadSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(caCertificate, "caCertificate");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(warmUp, "warmUp");
        Objects.requireNonNull(measure, "measure");
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
        if (devices < 1 || devices > MAX_DEVICES) {
            throw new IllegalArgumentException("--devices must be 1.." + MAX_DEVICES + ", was " + devices);
        }
        if (firstDeviceId < 1) {
            throw new IllegalArgumentException("--first-device-id must be positive, was " + firstDeviceId);
        }
        if (warmUp.isNegative()) {
            throw new IllegalArgumentException("--warm-up must not be negative, was " + warmUp);
        }
        if (measure.isNegative() || measure.isZero()) {
            throw new IllegalArgumentException("--duration must be positive, was " + measure);
        }
        if (maxPackets < 1) {
            throw new IllegalArgumentException("--max-packets must be at least 1, was " + maxPackets);
        }
        if (ackTimeout.isNegative() || ackTimeout.isZero()) {
            throw new IllegalArgumentException("--ack-timeout must be positive, was " + ackTimeout);
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("--io-threads must be at least 1, was " + ioThreads);
        }
        if (inFlight < 1) {
            throw new IllegalArgumentException("--mov-in-flight must be at least 1, was " + inFlight);
        }
    }

    /** Defaults for everything but where to connect and how. */
    public static LoadSettings of(String host, int port, Path caCertificate, LoadMode mode) {
        return new LoadSettings(host, port, caCertificate, mode, DEFAULT_DEVICES, DEFAULT_FIRST_DEVICE_ID,
                Duration.ZERO, DEFAULT_MEASURE, UNLIMITED, DEFAULT_ACK_TIMEOUT,
                Runtime.getRuntime().availableProcessors(), 1);
    }

    public LoadSettings withDevices(int count) {
        return new LoadSettings(host, port, caCertificate, mode, count, firstDeviceId, warmUp, measure,
                maxPackets, ackTimeout, ioThreads, inFlight);
    }

    public LoadSettings withTiming(Duration warmUpTime, Duration measureTime) {
        return new LoadSettings(host, port, caCertificate, mode, devices, firstDeviceId, warmUpTime, measureTime,
                maxPackets, ackTimeout, ioThreads, inFlight);
    }

    public LoadSettings withMaxPackets(long count) {
        return new LoadSettings(host, port, caCertificate, mode, devices, firstDeviceId, warmUp, measure,
                count, ackTimeout, ioThreads, inFlight);
    }

    public LoadSettings withInFlight(int packets) {
        return new LoadSettings(host, port, caCertificate, mode, devices, firstDeviceId, warmUp, measure,
                maxPackets, ackTimeout, ioThreads, packets);
    }

    public LoadSettings withIoThreads(int threads) {
        return new LoadSettings(host, port, caCertificate, mode, devices, firstDeviceId, warmUp, measure,
                maxPackets, ackTimeout, threads, inFlight);
    }
}
