package org.locomov.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.locomov.api.ApiBootstrap;
import org.locomov.api.ApiBootstrap.FirstAdmin;
import org.locomov.core.CommitListeners;
import org.locomov.core.DevicePlane;
import org.locomov.core.listener.Listener;
import org.locomov.credentials.SharedDeviceCa;
import org.locomov.credentials.StoreDeviceIdentity;
import org.locomov.credentials.acme.SharedTlsMaterial;
import org.locomov.store.BatchWriter;
import org.locomov.store.ConfoRepository;
import org.locomov.store.Database;
import org.locomov.store.DeviceCredentialRepository;
import org.locomov.store.OperatorCaRepository;
import org.locomov.store.PgDeviceDirectory;
import org.locomov.store.PgUserEvents;
import org.locomov.store.TlsMaterialRepository;
import org.locomov.store.plane.PgDevicePlane;
import org.locomov.tls.CertificateMetrics;
import org.locomov.tls.CertificateSource;
import org.locomov.tls.DeviceCa;
import org.locomov.tls.MasterKey;
import org.locomov.tls.PemFiles;
import org.locomov.transport.ListenerContext;
import org.locomov.transport.ListenerModule.ListenerPlan;
import org.locomov.transport.ServerTlsFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running locomov: the wiring of the modules and their lifecycle, in one place.
 *
 * <p>Start order: database (embedded or external, migrated) → daily partition maintenance → certificates →
 * batch writer → the device plane (directory, identity, then {@link PgDevicePlane}: this node, its LISTEN
 * connection, sessions, commands, events, update jobs) → each planned listener, in the order of
 * {@link ListenerModules} → certificate renewal and reloading (every listener is registered with the
 * certificate source by then). {@link #close()} stops in the reverse order, which is what a graceful stop
 * needs: the listeners stop accepting and let what they are storing be acknowledged; then the batch writer
 * commits what is queued; then the database closes.
 *
 * <p>Threads: started by one thread; {@link #close()} may be called from any thread, more than once
 * (signal handler, shutdown hook, tests), and is synchronized.
 */
public final class Locomov implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Locomov.class);

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
            CertificateMetrics certificateMetrics = started.add("certificate metrics",
                    new CertificateMetrics(registry, Clock.systemUTC()));

            CommitListeners commits = new CommitListeners();
            BatchWriter writer = new BatchWriter(database.dataSource(), settings.ingest(), registry, commits);
            writer.start();
            started.add("batch writer", writer);
            PgDeviceDirectory devices = started.add("device directory",
                    new PgDeviceDirectory(database.dataSource(), settings.autoRegister(), registry));
            OnFirstUse<MasterKey> masterKey = masterKey(settings.deviceAuth());
            StoreDeviceIdentity identity = started.add("device identity",
                    deviceIdentity(settings.deviceAuth(), database, masterKey));
            PgDevicePlane planeParts = new PgDevicePlane(settings.plane(), database.dataSource(),
                    database::dedicatedConnection, writer, devices, identity, new ConfoRepository(database.dataSource()),
                    registry);
            // A CA registered or removed on another node (or by 'ca register') is trusted here within a second.
            planeParts.listen(OperatorCaRepository.CHANNEL, payloads -> identity.reloadOperatorCas());
            // Events users publish through the Particle API reach the streams and devices of every node (decision 1022).
            PgUserEvents userEvents = new PgUserEvents(database.dataSource(), runnable -> Thread.ofVirtual().start(runnable));
            planeParts.listen(PgUserEvents.CHANNEL, userEvents::announced);
            started.add("device plane", planeParts.start());
            DevicePlane plane = planeParts.plane();

            ListenerStates states = new ListenerStates();
            ListenerContext context = new ListenerContext(registry, plane,
                    new ServerTlsFactory(source, certificateMetrics, identity), source, commits, database.dataSource(),
                    states::snapshot, masterKey, userEvents);
            List<Listener> listeners = new ArrayList<>();
            for (ListenerPlan plan : settings.listeners()) {
                Listener listener = plan.create(context);
                listener.start();
                started.add(plan.name() + " listener", states.track(plan.name(), listener));
                listeners.add(listener);
            }
            // Renewal and reloading start once every listener is registered and listening (TLS-ALPN-01 needs the API).
            source.start();
            Optional<FirstAdmin> firstAdmin = new ApiBootstrap(database.dataSource()).ensureAdmin();

            Banner banner = new Banner(LocomovVersion.current(),
                    listeners.stream().map(listener -> new Banner.Listener(listener.name(), listener.endpoint(),
                            listener.port())).toList(),
                    source.trustedCaFile().orElse(null), source.describe(), describe(database),
                    settings.dataDir(), settings.logs().files()
                            ? settings.logs().logDirectory(settings.dataDir()).resolve("locomov.log") : null,
                    firstAdmin);
            return new Locomov(started, registry, banner);
        } catch (RuntimeException e) {
            started.closeAll();
            registry.close();
            throw e instanceof LocomovStartException ? e : new LocomovStartException(e.getMessage(), e);
        }
    }

    /**
     * The device CA every node on the database shares (made, or imported from this data directory, by the first
     * node that starts; decision 1540) and the operator CAs, from files and the database.
     */
    private static StoreDeviceIdentity deviceIdentity(DeviceAuthSettings settings, Database database,
            OnFirstUse<MasterKey> masterKey) {
        try {
            DeviceCa ca = SharedDeviceCa.open(new TlsMaterialRepository(database.dataSource()), masterKey.get(),
                    settings.tlsDirectory(), SharedTlsMaterial.thisNode(), Instant.now());
            List<X509Certificate> operatorCas = new ArrayList<>();
            for (var file : settings.operatorCaFiles()) {
                operatorCas.addAll(PemFiles.readCertificates(file));
            }
            StoreDeviceIdentity identity = new StoreDeviceIdentity(ca.certificate(), operatorCas,
                    new DeviceCredentialRepository(database.dataSource()), new OperatorCaRepository(database.dataSource()),
                    masterKey);
            identity.reloadOperatorCas();
            return identity;
        } catch (IOException | UncheckedIOException e) {
            throw new LocomovStartException("cannot set up device identity: " + e.getMessage(), e);
        }
    }

    /** The master key, opened on first use; created then when it is the default file (as for ACME). */
    private static OnFirstUse<MasterKey> masterKey(DeviceAuthSettings settings) {
        boolean defaultFile = settings.masterKeyFile().equals(settings.tlsDirectory().resolve(TlsOptions.MASTER_KEY_FILE));
        return new OnFirstUse<>(() -> MasterKey.openOrCreate(settings.masterKeyFile(), defaultFile));
    }

    private static String describe(Database database) {
        String url = Banner.withoutPassword(database.jdbcUrl());
        // The embedded server lets in only its own role, with the password kept in the data directory.
        return database.passwordFile()
                .map(file -> "embedded PostgreSQL at " + url + " (user " + database.user() + ", password in " + file + ")")
                .orElse("external PostgreSQL at " + url);
    }

    /** What to tell the operator now that everything is listening. */
    public Banner banner() {
        return banner;
    }

    /** The port the listener {@code name} bound (the real one when 0 was configured). */
    public int port(String name) {
        return banner.listeners().stream().filter(listener -> listener.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no listener " + name)).port();
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
