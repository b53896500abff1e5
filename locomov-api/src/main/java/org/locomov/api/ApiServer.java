package org.locomov.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.locomov.core.CommitListener;
import org.locomov.core.DevicePlane;
import org.locomov.core.event.UserEvents;
import org.locomov.core.session.DeviceSessions;
import org.locomov.store.ConfoRepository;
import org.locomov.store.DeviceAdmin;
import org.locomov.store.ReadingQueries;
import org.locomov.store.TokenRepository;
import org.locomov.store.UserRepository;
import org.locomov.store.plane.CommandRows;
import org.locomov.store.plane.EventRows;
import org.locomov.store.plane.FirmwareRows;
import org.locomov.tls.CipherProfile;
import org.locomov.tls.ServerCertificate;
import org.locomov.tls.TlsAlpnAnswers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS API: Javalin on one Jetty TLS connector (HTTP/1.1), with the route groups of this package.
 *
 * <p>Lifecycle: construct, {@link #start()}, {@link #close()}. Register {@link #events()} with the batch
 * writer so committed readings reach live-event streams. {@link #replaceCertificates} swaps renewed
 * certificates in while running.
 *
 * <p>Threads: requests run on Jetty's virtual threads; live events have one dispatcher thread
 * ({@link LiveEvents}). {@code start}, {@code close} and {@code replaceCertificates} may be called from
 * any one controlling thread.
 */
public final class ApiServer implements AutoCloseable {

    /** The API serves browsers, apps and dashboards only, so it never offers the legacy device suites. */
    public static final CipherProfile CIPHER_PROFILE = ApiTls.PROFILE;

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    private final ApiSettings settings;
    private final ApiTls tls;
    private final LiveEvents liveEvents;
    private final ParticleCloudRoutes particleCloud;
    private final List<AutoCloseable> planeWatches;
    private final Javalin app;
    private ServerConnector connector;

    /**
     * @param rsa       the RSA server certificate (every client can use it)
     * @param ecOrNull  the ECDSA one, preferred by clients that offer it; null to serve RSA only
     * @param plane     the device plane: who is connected on any node (the devices' {@code online} flag), commands,
     *                  device events and update jobs (their changes reach live streams), device tokens (image
     *                  downloads)
     * @param userEvents events users publish through the Particle API, announced to every node (decision 1022)
     * @param registry  API metrics go here; {@code /metrics} serves it when it is (or holds) a Prometheus registry
     * @param health    listener states and certificate lifetime for {@code /health}
     */
    public ApiServer(ApiSettings settings, ServerCertificate rsa, ServerCertificate ecOrNull, DataSource dataSource,
                     DevicePlane plane, UserEvents userEvents, MeterRegistry registry, HealthSources health) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(plane, "plane");
        DeviceSessions sessions = plane.sessions();
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(health, "health");
        this.tls = new ApiTls(rsa, ecOrNull);

        ObjectMapper mapper = ApiJson.newMapper();
        DeviceAdmin devices = new DeviceAdmin(dataSource);
        TokenRepository tokens = new TokenRepository(dataSource);
        Authenticator auth = new Authenticator(tokens);
        this.liveEvents = new LiveEvents(devices, settings.sseMaxClients(), registry);
        this.planeWatches = List.of(
                plane.commands().watch(command -> liveEvents.announce(
                        new LiveItem("command", command.deviceId(), ApiJson.CommandJson.of(command)))),
                plane.events().subscribe(event -> liveEvents.announce(
                        new LiveItem("event", event.deviceId(), ApiJson.LiveDeviceEvent.of(event)))),
                plane.firmware().watch(job -> liveEvents.announce(
                        new LiveItem("firmware-job", job.deviceId(), ApiJson.FirmwareJobJson.of(job)))));
        Duration heartbeat = settings.idleTimeout().dividedBy(2);

        this.particleCloud = new ParticleCloudRoutes(dataSource, tokens, devices, new ParticleCloudRoutes.Plane(sessions,
                plane.events(), Objects.requireNonNull(userEvents, "userEvents"),
                new PlaneCommandRunner(new CommandRows(dataSource), plane.commands()),
                new PlaneFirmwareStarter(new FirmwareRows(dataSource)), settings.firmwareMaxBytes()),
                settings.sseMaxClients(), settings.idleTimeout(), registry, mapper);

        List<RouteGroup> groups = List.of(
                new UserRoutes(auth, new UserRepository(dataSource), tokens, mapper),
                new TokenRoutes(auth, tokens, mapper),
                new DeviceRoutes(auth, devices, sessions, mapper),
                new ReadingRoutes(auth, devices, new ReadingQueries(dataSource)),
                new EventRoutes(auth, devices, liveEvents, mapper, heartbeat),
                new CommandRoutes(auth, devices, new CommandRows(dataSource), plane.commands(), mapper),
                new DeviceEventRoutes(auth, devices, new EventRows(dataSource)),
                new FirmwareRoutes(auth, devices, new FirmwareRows(dataSource), plane.identity(), mapper,
                        settings.firmwareMaxBytes()),
                new OperationsRoutes(dataSource, health, registry),
                new ConfoRoutes(new ConfoRepository(dataSource),
                        new AddressRateLimiter(settings.confoQueriesPerMinute()), settings.confoMaxAge()),
                particleCloud);

        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = settings.maxRequestBytes();
            // CSV and live events must reach the client as they are written, not when a compressor flushes.
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.jsonMapper(new JavalinJackson(mapper, true));
            config.jetty.addConnector((server, httpConfiguration) -> {
                connector = tlsConnector(server, httpConfiguration);
                return connector;
            });
            config.jetty.modifyServer(server ->
                    server.addBean(new NetworkConnectionLimit(settings.maxConnections(), server)));
            ErrorReplies.register(config.routes);
            groups.forEach(group -> group.register(config.routes));
        });
    }

    private ServerConnector tlsConnector(org.eclipse.jetty.server.Server server, HttpConfiguration base) {
        HttpConfiguration https = new HttpConfiguration(base);
        https.setSendServerVersion(false);
        // Clients often connect by IP address, so the Host need not match a certificate name.
        SecureRequestCustomizer secure = new SecureRequestCustomizer(false);
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        ServerConnector tlsConnector = new ServerConnector(server,
                new SslConnectionFactory(tls.factory(), "http/1.1"), new HttpConnectionFactory(https));
        tlsConnector.setHost(settings.bindAddress());
        tlsConnector.setPort(settings.port());
        tlsConnector.setIdleTimeout(settings.idleTimeout().toMillis());
        tlsConnector.setName("api");
        return tlsConnector;
    }

    /** Binds the port and starts serving; fails with a message naming the address when it cannot bind. */
    public void start() {
        liveEvents.start();
        particleCloud.start();
        app.start();
        Connector[] connectors = app.jettyServer().server().getConnectors();
        if (connectors.length != 1 || connectors[0] != connector) {
            // Never serve the API without TLS, whatever a Javalin default might add.
            close();
            throw new IllegalStateException("the API must have only its TLS connector, Jetty had " + connectors.length);
        }
        log.info("API listening on https://{}:{} (TLS {}, profile {})", settings.bindAddress(), port(),
                ApiTls.PROFILE.protocols(), ApiTls.PROFILE.configName());
    }

    /** The bound port (useful when the settings asked for 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** To be registered with the batch writer: announces committed readings to live-event streams. */
    public CommitListener events() {
        return liveEvents;
    }

    /**
     * Answers ACME TLS-ALPN-01 validation handshakes on this listener with the challenges' certificates; every
     * other handshake is unchanged. Call before {@link #start()}.
     */
    public void answerTlsAlpnChallenges(TlsAlpnAnswers challenges) {
        tls.answer(challenges);
    }

    /** Serves renewed certificates to new connections, without a restart and without dropping open ones. */
    public void replaceCertificates(ServerCertificate rsa, ServerCertificate ecOrNull) {
        try {
            tls.replace(rsa, ecOrNull);
            log.info("API certificates replaced: {}{}", rsa.describe(), ecOrNull == null ? "" : "; " + ecOrNull.describe());
        } catch (Exception e) {
            throw new IllegalStateException("could not load the new API certificates; the old ones are still served", e);
        }
    }

    /** The routes Javalin really serves (method and path), for checking the OpenAPI document. */
    List<Endpoint> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream().map(parsed -> parsed.endpoint).toList();
    }

    /** Ends live-event streams, then stops Jetty (closing connections). */
    @Override
    public void close() {
        for (AutoCloseable watch : planeWatches) {
            try {
                watch.close();
            } catch (Exception e) {
                log.debug("Could not stop watching the device plane: {}", e.toString());
            }
        }
        liveEvents.close();
        particleCloud.close();
        app.stop();
    }
}
