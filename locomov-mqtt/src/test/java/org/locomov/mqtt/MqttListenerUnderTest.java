package org.locomov.mqtt;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.locomov.core.DevicePlane;
import org.locomov.core.IngestSettings;
import org.locomov.core.session.LocalDeviceSessions;
import org.locomov.credentials.DeviceCredentialsIssuer;
import org.locomov.credentials.StoreDeviceIdentity;
import org.locomov.store.BatchWriter;
import org.locomov.store.Database;
import org.locomov.store.DeviceCredentialRepository;
import org.locomov.store.OperatorCaRepository;
import org.locomov.store.PgDeviceDirectory;
import org.locomov.store.plane.DevicePlaneSettings;
import org.locomov.store.plane.PgDevicePlane;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.ClientCertificates;
import org.locomov.tls.DeviceCa;
import org.locomov.tls.DeviceCredentialFiles;
import org.locomov.tls.DeviceCredentials;
import org.locomov.tls.KeyType;
import org.locomov.tls.MasterKey;
import org.locomov.tls.testing.TestCertificates;
import org.locomov.transport.ServerTls;
import org.locomov.transport.testing.TestServerTls;

/**
 * An MQTT listener wired as {@code serve} wires it: real TLS from the test CA (cc32xx), the real batch writer,
 * device directory and device identity (device CA, tokens) on a real PostgreSQL, on a free loopback port.
 * Device events are stored by the real {@link PgDevicePlane}'s events; command answers and firmware reports go to
 * {@link RecordingPlaneParts}, and sessions are {@link LocalDeviceSessions}, so a test can hand a session a
 * command or an offer directly.
 */
final class MqttListenerUnderTest implements AutoCloseable {

    final Database database;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final BatchWriter writer;
    final PgDeviceDirectory devices;
    final StoreDeviceIdentity identity;
    final DeviceCredentialsIssuer issuer;
    final LocalDeviceSessions sessions = new LocalDeviceSessions();
    final RecordingPlaneParts recorded = new RecordingPlaneParts();
    final PgDevicePlane planeParts;
    final MqttServer server;
    private final Path work;

    MqttListenerUnderTest(Database database, Path work, MqttSettings settings) {
        this.database = database;
        this.work = work;
        try {
            DeviceCa deviceCa = DeviceCa.open(work.resolve("tls"), Instant.now());
            DeviceCredentialRepository credentials = new DeviceCredentialRepository(database.dataSource());
            this.issuer = new DeviceCredentialsIssuer(deviceCa,
                    MasterKey.openOrCreate(work.resolve("tls/master.key"), true), credentials, Clock.systemUTC());
            this.identity = new StoreDeviceIdentity(deviceCa.certificate(), List.of(), credentials,
                    new OperatorCaRepository(database.dataSource()), () -> null);
            this.writer = new BatchWriter(database.dataSource(), IngestSettings.DEFAULTS, registry);
            writer.start();
            this.devices = new PgDeviceDirectory(database.dataSource(), false, registry);
            org.locomov.core.Confirmations noConfo = post -> {
                throw new UnsupportedOperationException("no confo on MQTT");
            };
            this.planeParts = new PgDevicePlane(DevicePlaneSettings.DEFAULTS, database.dataSource(),
                    database::dedicatedConnection, writer, devices, identity, noConfo, registry).start();
            DevicePlane plane = new DevicePlane(writer, devices, identity, sessions, recorded.commands, planeParts.events(),
                    recorded.firmware, noConfo);
            ServerTls tls = ServerTls.create(TestCertificates.shared().rsaServer(), TestCertificates.shared().ecServer(),
                    settings.cipherProfile(), TestServerTls.HANDSHAKE_TIMEOUT, "mqtt",
                    new ClientCertificates(settings.clientAuth(), identity.trustAnchors()));
            this.server = new MqttServer("mqtt", settings, tls, plane, registry);
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    MqttListenerUnderTest(Database database, Path work) {
        this(database, work, MqttSettings.loopbackAnyPort());
    }

    int port() {
        return server.port();
    }

    /** Registers {@code deviceId} and writes its credentials as {@code device credentials} does; returns the directory. */
    Path device(long deviceId, KeyType keyType) {
        try {
            if (TestDatabase.count(database, "SELECT count(*) FROM pub WHERE pub_id = ?", deviceId) == 0) {
                TestDatabase.addDevice(database, deviceId);
            }
            DeviceCredentials credentials = issuer.issue(deviceId, keyType).orElseThrow().credentials();
            Path dir = Files.createTempDirectory(work, "device-" + deviceId + "-");
            DeviceCredentialFiles.write(dir, credentials, TestCertificates.shared().caCertificate());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String token(Path credentials) {
        try {
            return Files.readString(credentials.resolve(DeviceCredentialFiles.TOKEN)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long packets(long deviceId) {
        return TestDatabase.count(database, "SELECT count(*) FROM packet WHERE pub_id = ?", deviceId);
    }

    /** The device's stored events as {@code name=data}, oldest first. */
    List<String> events(long deviceId) {
        List<String> events = new java.util.ArrayList<>();
        try (var connection = database.dataSource().getConnection();
                var query = connection.prepareStatement(
                        "SELECT name, coalesce(data, '') FROM event WHERE pub_id = ? AND transport = 'mqtt' ORDER BY id")) {
            query.setLong(1, deviceId);
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    events.add(rows.getString(1) + "=" + rows.getString(2));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return events;
    }

    long packets() {
        return TestDatabase.count(database, "SELECT count(*) FROM packet");
    }

    double counter(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    double refused(String reason) {
        return counter("locomov.readings.refused", "transport", "mqtt", "reason", reason);
    }

    double connectionsRefused(String reason) {
        return counter("locomov.connections.refused", "transport", "mqtt", "reason", reason);
    }

    @Override
    public void close() {
        server.close();
        planeParts.close();
        writer.close();
        devices.close();
        identity.close();
    }
}
