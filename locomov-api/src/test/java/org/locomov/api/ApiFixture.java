package org.locomov.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.List;
import javax.sql.DataSource;
import org.locomov.core.IngestSettings;
import org.locomov.core.session.DeviceSessions;
import org.locomov.credentials.DeviceCredentialsIssuer;
import org.locomov.credentials.StoreDeviceIdentity;
import org.locomov.store.BatchWriter;
import org.locomov.store.ConfoRepository;
import org.locomov.store.Database;
import org.locomov.store.DeviceCredentialRepository;
import org.locomov.store.OperatorCaRepository;
import org.locomov.store.PgDeviceDirectory;
import org.locomov.store.PgUserEvents;
import org.locomov.store.plane.DevicePlaneSettings;
import org.locomov.store.plane.PgDevicePlane;
import org.locomov.store.TokenRepository;
import org.locomov.store.UserRepository;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.ClientTls;
import org.locomov.tls.DevelopmentCa;
import org.locomov.tls.testing.TestCertificates;

/**
 * A running {@link ApiServer} on 127.0.0.1 (any free port) over a fresh embedded PostgreSQL database,
 * with the test CA's RSA and EC certificates, and a JDK {@link HttpClient} that trusts only that CA.
 */
final class ApiFixture implements AutoCloseable {

    static final ApiSettings TEST_SETTINGS = ApiSettings.DEFAULTS.withBind("127.0.0.1", 0);

    final Database database;
    final BatchWriter writer;
    final PgDevicePlane plane;
    final PgUserEvents userEvents;
    final DeviceSessions connected;
    final ApiServer server;
    final HttpClient http;
    final ObjectMapper json = new ObjectMapper();

    private ApiFixture(ApiSettings settings, MeterRegistry registry, HealthSources health) {
        DevelopmentCa ca = TestCertificates.shared();
        database = TestDatabase.fresh();
        DataSource dataSource = database.dataSource();
        writer = new BatchWriter(dataSource, IngestSettings.DEFAULTS, new SimpleMeterRegistry());
        writer.start();
        StoreDeviceIdentity identity = new StoreDeviceIdentity(ca.caCertificate(), List.of(),
                new DeviceCredentialRepository(dataSource), new OperatorCaRepository(dataSource), () -> {
                    throw new IllegalStateException("no master key in API tests");
                });
        plane = new PgDevicePlane(DevicePlaneSettings.DEFAULTS, dataSource, database::dedicatedConnection, writer,
                new PgDeviceDirectory(dataSource, false, new SimpleMeterRegistry()), identity,
                new ConfoRepository(dataSource), new SimpleMeterRegistry());
        userEvents = new PgUserEvents(dataSource, Runnable::run);
        plane.listen(PgUserEvents.CHANNEL, userEvents::announced);
        plane.start();
        connected = plane.sessions();
        server = new ApiServer(settings, ca.rsaServer(), ca.ecServer(), dataSource, plane.plane(), userEvents, registry,
                health);
        server.start();
        try {
            http = HttpClient.newBuilder()
                    .sslContext(ClientTls.jdkContext(caFile()))
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot build the test HTTP client", e);
        }
    }

    static ApiFixture start() {
        return start(TEST_SETTINGS, new SimpleMeterRegistry(), new HealthSources(() -> Map.of("api", true), () -> 100));
    }

    static ApiFixture start(ApiSettings settings, MeterRegistry registry, HealthSources health) {
        return new ApiFixture(settings, registry, health);
    }

    static Path caFile() {
        return TestCertificates.shared().caCertificateFile();
    }

    URI uri(String pathAndQuery) {
        return URI.create("https://127.0.0.1:" + server.port() + pathAndQuery);
    }

    /** Registers a user and returns a token secret for it. */
    String userWithToken(String email, boolean admin) {
        new UserRepository(database.dataSource()).add(email, admin).orElseThrow();
        return new TokenRepository(database.dataSource()).create(email, "test").orElseThrow().secret();
    }

    long userId(String email) {
        return new UserRepository(database.dataSource()).findByEmail(email).orElseThrow().id();
    }

    void addDevice(long id, String ownerEmailOrNull) {
        TestDatabase.execute(database, "INSERT INTO pub (pub_id, creator) VALUES (?, (SELECT id FROM sub WHERE email = ?))",
                id, ownerEmailOrNull);
    }

    void addReading(long deviceId, Instant createdAt, Double voltage, Double frequency) {
        TestDatabase.execute(database, "INSERT INTO reading (pub_id, created_at, voltage, frequency, transport) VALUES (?, ?, ?, ?, 'mov')",
                deviceId, createdAt.atOffset(ZoneOffset.UTC), voltage, frequency);
    }

    HttpResponse<String> get(String path, String token) {
        return send(request(path, token).GET().build());
    }

    HttpResponse<String> delete(String path, String token) {
        return send(request(path, token).DELETE().build());
    }

    HttpResponse<String> post(String path, String token, String body) {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> patch(String path, String token, String body) {
        return send(request(path, token).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode json(HttpResponse<String> response) {
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    /** A device token for device {@code deviceId}, recorded as 'device credentials' would record it. */
    String deviceToken(long deviceId) {
        String token = "test-device-token-" + deviceId + "-" + System.nanoTime();
        byte[] fakeCertificate = DeviceCredentialsIssuer.tokenSha256("certificate of " + token);
        TestDatabase.execute(database, """
                INSERT INTO device_credential (pub_id, origin, cert_sha256, cert_serial, cert_not_after, key_type, token_sha256)
                VALUES (?, 'device-ca', ?, '01', now() + interval '1 year', 'EC', ?)""",
                deviceId, fakeCertificate, DeviceCredentialsIssuer.tokenSha256(token));
        return token;
    }

    @Override
    public void close() {
        server.close();
        plane.close();
        writer.close();
        database.close();
        if (http != null) {
            http.close();
        }
    }
}
