package org.locomov.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How long the certificates each listener serves have left, as the gauge {@value #DAYS_LEFT} (tags
 * {@code listener} and {@code keytype}), renewal failures as the counter {@value #RENEWAL_FAILURES}, and a
 * WARN line per listener and key type while a certificate has fewer than {@value #WARN_DAYS} days left,
 * checked when a listener is added and then every {@link #CHECK_INTERVAL}.
 *
 * <p>Thread-safety: gauges are read by whichever thread scrapes the registry; the expiry check runs on
 * this class's one daemon thread; {@link #watch} may be called from any thread.
 */
public final class CertificateMetrics implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CertificateMetrics.class);

    public static final String DAYS_LEFT = "locomov.tls.certificate.days.left";
    public static final String RENEWAL_FAILURES = "locomov.tls.renewal.failures";
    public static final int WARN_DAYS = 14;
    public static final Duration CHECK_INTERVAL = Duration.ofHours(12);

    private final MeterRegistry registry;
    private final Clock clock;
    private final Counter renewalFailures;
    private final Map<String, Supplier<CertificatePair>> listeners = new ConcurrentHashMap<>();
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("locomov-certificate-expiry").daemon().factory());

    public CertificateMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.renewalFailures = Counter.builder(RENEWAL_FAILURES)
                .description("Certificate orders or renewals that failed (each is retried)")
                .register(registry);
        long hours = CHECK_INTERVAL.toHours();
        checker.scheduleWithFixedDelay(this::warnIfExpiringSoon, hours, hours, TimeUnit.HOURS);
    }

    /** Publishes the days left of what {@code served} returns, for {@code listener}, and checks them now. */
    public void watch(String listener, Supplier<CertificatePair> served) {
        listeners.put(listener, served);
        for (KeyType type : KeyType.values()) {
            Gauge.builder(DAYS_LEFT, () -> daysLeft(served.get().certificate(type)))
                    .description("Days until the served certificate expires (NaN: none of this key type)")
                    .tag("listener", listener)
                    .tag("keytype", type.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
        checker.execute(this::warnIfExpiringSoon);
    }

    /** The counter a certificate source increments for each failed order or renewal. */
    public Counter renewalFailures() {
        return renewalFailures;
    }

    /** Logs a WARN for every served certificate with fewer than {@value #WARN_DAYS} days left. */
    void warnIfExpiringSoon() {
        listeners.forEach((listener, served) -> {
            for (KeyType type : KeyType.values()) {
                ServerCertificate certificate = served.get().certificate(type);
                double days = daysLeft(certificate);
                if (days < WARN_DAYS) {
                    log.warn("{}: the {} certificate expires in {} days ({}); renew it or check why renewal fails",
                            listener, type, String.format(java.util.Locale.ROOT, "%.1f", days), certificate.describe());
                }
            }
        });
    }

    private double daysLeft(ServerCertificate certificate) {
        if (certificate == null) {
            return Double.NaN;
        }
        return Duration.between(clock.instant(), certificate.notAfter()).toMinutes() / (24.0 * 60);
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
