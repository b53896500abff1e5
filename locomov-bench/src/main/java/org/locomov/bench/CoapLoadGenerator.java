package org.locomov.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CoAP phases' load: each simulated device keeps one DTLS session (PSK, {@value DtlsClientEndpoints#PSK_SUITE_NAME})
 * and posts a reading to {@code /readings} as a confirmable request, the next one once the previous got its
 * answer, for a warm-up and a measured window. Only 2.01 Created counts as an ack. The same generator runs against
 * locomov's {@code coap} listener and against the bare Californium server.
 *
 * <p>Threads: one platform thread per device (Californium's client API blocks), plus each endpoint's own; the
 * calling thread opens and closes the window. The shared counters are in a thread-safe {@link LoadTally}.
 */
final class CoapLoadGenerator {

    /** A reading as the CoAP devices of issue 9 post it. */
    static final byte[] READING = "{\"voltage\":230.1,\"freq\":50.0,\"status\":true}".getBytes(StandardCharsets.US_ASCII);

    private static final Logger log = LoggerFactory.getLogger(CoapLoadGenerator.class);
    private static final Duration FINISH_GRACE = Duration.ofSeconds(15);

    private final int port;
    private final List<DtlsPsk> devices;
    private final Duration warmUp;
    private final Duration measure;
    private final long maxRequests;
    private final Duration ackTimeout;

    /**
     * @param port        the server's DTLS port on 127.0.0.1
     * @param devices     one key per simulated device
     * @param maxRequests requests sent at most, warm-up included ({@link LoadSettings#UNLIMITED} for none)
     * @param ackTimeout  how long a device waits for an answer (Californium retransmits meanwhile)
     */
    CoapLoadGenerator(int port, List<DtlsPsk> devices, Duration warmUp, Duration measure, long maxRequests,
            Duration ackTimeout) {
        this.port = port;
        this.devices = List.copyOf(devices);
        this.warmUp = warmUp;
        this.measure = measure;
        this.maxRequests = maxRequests;
        this.ackTimeout = ackTimeout;
    }

    LoadResult run(LoadGenerator.WindowObserver observer) throws InterruptedException {
        long start = System.nanoTime();
        LoadTally tally = new LoadTally(start, warmUp, measure, maxRequests);
        List<Thread> threads = new ArrayList<>(devices.size());
        CountDownLatch finished = new CountDownLatch(devices.size());
        for (DtlsPsk device : devices) {
            threads.add(Thread.ofPlatform().name("coap-device-" + device.deviceId()).daemon().start(() -> {
                try {
                    postReadings(device, tally);
                } finally {
                    finished.countDown();
                }
            }));
        }
        // The window opens after the warm-up and closes at its end, or earlier when the request bound ended the run.
        awaitUntil(finished, start, warmUp);
        observer.measurementStarted();
        awaitUntil(finished, start, warmUp.plus(measure));
        long finishedNanos = System.nanoTime();
        observer.measurementEnded();
        long joinDeadline = System.nanoTime() + ackTimeout.plus(FINISH_GRACE).toNanos();
        for (Thread thread : threads) {
            thread.join(Duration.ofNanos(Math.max(1, joinDeadline - System.nanoTime())));
            if (thread.isAlive()) {
                tally.error("device still busy when the run's time was up");
            }
        }
        LoadResult result = tally.result(LoadMode.PERSISTENT, devices.size(), finishedNanos);
        log.info("CoAP against 127.0.0.1:{}: {} x 2.01 ({} in window, {}/s), {} errors", port, result.acks(),
                result.measuredAcks(), Math.round(result.acksPerSecond()), result.errors());
        return result;
    }

    private void postReadings(DtlsPsk device, LoadTally tally) {
        CoapEndpoint endpoint = DtlsClientEndpoints.psk(device);
        CoapClient client = new CoapClient("coaps://127.0.0.1:" + port + "/readings");
        client.setEndpoint(endpoint);
        client.setTimeout(ackTimeout.toMillis());
        try {
            while (tally.claimPacket()) {
                long sent = System.nanoTime();
                tally.packetSent();
                CoapResponse response;
                try {
                    response = client.post(READING, MediaTypeRegistry.APPLICATION_JSON);
                } catch (Exception e) {
                    tally.error("request failed: " + SimulatedDevice.describe(e));
                    continue;
                }
                if (response == null) {
                    tally.error("no answer within " + BenchRun.human(ackTimeout));
                } else if (response.getCode() == ResponseCode.CREATED) {
                    tally.ackReceived(sent, sent, System.nanoTime());
                } else {
                    tally.error("CoAP " + response.getCode() + " " + response.getCode().name() + ": "
                            + response.getResponseText());
                }
            }
        } finally {
            client.shutdown();
            endpoint.destroy();
        }
    }

    private static void awaitUntil(CountDownLatch finished, long startNanos, Duration offset)
            throws InterruptedException {
        long left = offset.toNanos() - (System.nanoTime() - startNanos);
        if (left > 0) {
            finished.await(left, TimeUnit.NANOSECONDS);
        }
    }
}
