package org.locomov.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.Optional;
import org.locomov.api.ApiBootstrap;
import org.locomov.api.ApiBootstrap.FirstAdmin;
import org.locomov.api.ApiServer;
import org.locomov.api.HealthSources;
import org.locomov.core.ConnectedDevices;
import org.locomov.mov.ConfoProcessor;
import org.locomov.mov.MovServer;
import org.locomov.mov.MovSettings;
import org.locomov.mov.ReadingProcessor;
import org.locomov.store.BatchWriter;
import org.locomov.store.ConfoRepository;
import org.locomov.store.Database;
import org.locomov.store.PgDeviceDirectory;
import org.locomov.tls.CertificateListener;
import org.locomov.tls.CertificateMetrics;
import org.locomov.tls.CertificatePair;
import org.locomov.tls.CertificateSource;
import org.locomov.tls.ClientCertificates;
import org.locomov.tls.ServerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running locomov: the wiring of the modules and their lifecycle, in one place.
 *
 * <p>Start order: database (embedded or external, migrated) → daily partition maintenance →
 * certificates → API (built, not yet listening, since the batch writer tells it of commits) → batch
 * writer → device directory → TLS → mov listener → confo listener → API listening → certificate renewal
 * and reloading (every listener is registered with the certificate source by then). {@link #close()} stops in the reverse
 * order, which is what a graceful stop needs: the listener stops accepting and lets the packets it is
 * already storing be acknowledged; then the batch writer commits what is queued; then the database
 * closes.
 *
 * <p>Threads: started by one thread; {@link #close()} may be called from any thread, more than once
 * (signal handler, shutdown hook, tests), and is synchronized.
 */
public final class Locomov implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Locomov.class);
    static final String MOV_LISTENER = "mov";
    static final String API_LISTENER = "api";
    static final String CONFO_LISTENER = "confo";
    /** Confirmations are applied one at a time anyway (decision 0900); two threads keep one slow one from blocking. */
    private static final int CONFO_DATABASE_THREADS = 2;

    private final ShutdownSequence shutdownSequence;
    private final PrometheusMeterRegistry registry;
    private final Banner banner;
    private boolean closed; // guarded by this

    private Locomov(ShutdownSequence shutdownSequence, PrometheusMeterRegistry registry, Banner banner) {
        this.shutdownSequence = shutdownSequence;
        this.registry = registry;
        this.banner = banner;
    }

    /**
     * Starts everything {@code settings} describe. When a part fails, the parts already started are
     * stopped again before the failure is thrown.
     *
     * @throws LocomovStartException with a reason fit for the operator
     */
    public static Locomov start(ServerSettings settings) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ShutdownSequence started = new ShutdownSequence();
        try {
            if (settings.legacySecureFlagGiven()) {
                log.info("-secure given: a no-op, locomov always speaks TLS");
            }
            Database database = started.add("database", Database.open(settings.store(), registry));
            ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("locomov-partition-maintenance").daemon().factory());
            started.add("partition maintenance", maintenance, maintenance::shutdownNow);
            database.partitionMaintenance().start(maintenance);

            CertificateSources certificates = started.add("certificates",
                    CertificateSources.open(settings.tls(), database, registry));
            CertificateSource source = certificates.source();
            CertificatePair served = source.current();
            ConnectedDevices connected = new ConnectedDevices();
            ListenerStates listeners = new ListenerStates();
            ApiServer api = new ApiServer(settings.api(), served.rsa(), served.ecOrNull(), database.dataSource(),
                    connected, registry, new HealthSources(listeners::snapshot, () -> daysLeft(source.current())));
            if (certificates.tlsAlpnOrNull() != null) {
                api.answerTlsAlpnChallenges(certificates.tlsAlpnOrNull());
            }
            source.addListener(API_LISTENER, pair -> api.replaceCertificates(pair.rsa(), pair.ecOrNull()));
            CertificateMetrics certificateMetrics = started.add("certificate metrics",
                    new CertificateMetrics(registry, Clock.systemUTC()));

            BatchWriter writer = new BatchWriter(database.dataSource(), settings.ingest(), registry, api.events());
            writer.start();
            started.add("batch writer", writer);
            PgDeviceDirectory devices = started.add("device directory",
                    new PgDeviceDirectory(database.dataSource(), settings.autoRegister(), registry));

            MovSettings movSettings = settings.mov();
            ServerTls movTls = serverTls(source, certificateMetrics, movSettings, MOV_LISTENER,
                    MovClientCertificates.open(settings.deviceAuth(), database, started));
            MovServer mov = new MovServer(MOV_LISTENER, movSettings, movTls, new ReadingProcessor(devices, writer, connected),
                    registry);
            mov.start();
            started.add("mov listener", listeners.track(MOV_LISTENER, mov));

            MovSettings confoSettings = settings.confo();
            ExecutorService confoDatabase = Executors.newFixedThreadPool(CONFO_DATABASE_THREADS,
                    Thread.ofPlatform().name("locomov-confo-db-", 0).daemon().factory());
            started.add("confo transactions", confoDatabase, confoDatabase::shutdownNow);
            MovServer confo = new MovServer(CONFO_LISTENER, confoSettings, serverTls(source, certificateMetrics, confoSettings, CONFO_LISTENER,
                    ClientCertificates.none()),
                    new ConfoProcessor(new ConfoRepository(database.dataSource()), confoDatabase), registry);
            confo.start();
            started.add("confo listener", listeners.track(CONFO_LISTENER, confo));

            api.start();
            started.add("api listener", listeners.track(API_LISTENER, api));
            certificateMetrics.watch(API_LISTENER, source::current);
            // Renewal and reloading start once every listener is registered and listening (TLS-ALPN-01 needs the API).
            source.start();
            Optional<FirstAdmin> firstAdmin = new ApiBootstrap(database.dataSource()).ensureAdmin();

            Banner banner = new Banner(LocomovVersion.current(),
                    List.of(new Banner.Listener(MOV_LISTENER, movSettings.bindAddress(), mov.port(),
                                    movSettings.cipherProfile().configName()),
                            new Banner.Listener(API_LISTENER, settings.api().bindAddress(), api.port(),
                                    ApiServer.CIPHER_PROFILE.configName()),
                            new Banner.Listener(CONFO_LISTENER, confoSettings.bindAddress(), confo.port(),
                                    confoSettings.cipherProfile().configName())),
                    source.trustedCaFile().orElse(null), source.describe(), describe(database),
                    settings.dataDir(), Logging.logDirectory(settings.dataDir()).resolve("locomov.log"),
                    firstAdmin);
            return new Locomov(started, registry, banner);
        } catch (RuntimeException e) {
            started.closeAll();
            registry.close();
            throw e instanceof LocomovStartException ? e : new LocomovStartException(e.getMessage(), e);
        }
    }

    /** TLS for a Netty listener, fed with new certificates by {@code source} and watched by the metrics. */
    private static ServerTls serverTls(CertificateSource source, CertificateMetrics metrics, MovSettings settings,
                                       String listener, ClientCertificates clientCertificates) {
        try {
            CertificatePair served = source.current();
            ServerTls tls = ServerTls.create(served.rsa(), served.ecOrNull(), settings.cipherProfile(),
                    settings.handshakeTimeout(), listener, clientCertificates);
            source.addListener(listener, CertificateListener.of(tls));
            metrics.watch(listener, () -> new CertificatePair(tls.rsaCertificate(), tls.ecCertificateOrNull()));
            return tls;
        } catch (SSLException e) {
            throw new LocomovStartException(listener + " listener: cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Whole days until the first served certificate expires; negative once one has. */
    private static long daysLeft(CertificatePair served) {
        Instant first = served.ecOrNull() == null || served.rsa().notAfter().isBefore(served.ecOrNull().notAfter())
                ? served.rsa().notAfter() : served.ecOrNull().notAfter();
        return Duration.between(Instant.now(), first).toDays();
    }

    private static String describe(Database database) {
        return (database.embedded() ? "embedded PostgreSQL at " : "external PostgreSQL at ")
                + Banner.withoutPassword(database.jdbcUrl());
    }

    /** What to tell the operator now that everything is listening. */
    public Banner banner() {
        return banner;
    }

    /** The port the mov listener bound (the real one when 0 was configured). */
    public int movPort() {
        return banner.listeners().getFirst().port();
    }

    /** The port the HTTPS API bound (the real one when 0 was configured). */
    public int apiPort() {
        return banner.listeners().get(1).port();
    }

    /** The port the confo listener bound (the real one when 0 was configured). */
    public int confoPort() {
        return banner.listeners().get(2).port();
    }

    /** Metrics of every part, also served by the API at {@code /metrics}. */
    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    /** Stops accepting, lets in-flight packets be acknowledged, commits what is queued, closes the database. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("Stopping");
        shutdownSequence.closeAll();
        registry.close();
        log.info("Stopped");
    }
}
