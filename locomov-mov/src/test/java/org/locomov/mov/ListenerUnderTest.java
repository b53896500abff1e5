package org.locomov.mov;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.UnaryOperator;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.locomov.core.Ingest;
import org.locomov.core.IngestSettings;
import org.locomov.store.BatchWriter;
import org.locomov.store.Database;
import org.locomov.store.PgDeviceDirectory;
import org.locomov.store.testing.TestDatabase;
import org.locomov.tls.CipherProfile;
import org.locomov.core.identity.DeviceIdentity;
import org.locomov.transport.ServerTls;
import org.locomov.core.session.LocalDeviceSessions;
import org.locomov.transport.testing.NoDeviceIdentity;
import org.locomov.transport.testing.TestServerTls;

/**
 * A mov listener wired as the server wires it: real TLS from the test CA, a real {@link BatchWriter}
 * and {@link PgDeviceDirectory} on a real PostgreSQL database, on a free loopback port.
 */
final class ListenerUnderTest implements AutoCloseable {

    /** A stored row of {@code packet}, as the tests compare it. */
    record Row(long deviceId, Instant createdAt, Double voltage, Double frequency, Boolean protectedStatus,
            Double lat, Double lng, String transport, String extra) {
    }

    final Database database;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final BatchWriter writer;
    final PgDeviceDirectory devices;
    final MovServer server;
    final LocalDeviceSessions sessions = new LocalDeviceSessions();

    ListenerUnderTest(Database database, MovSettings settings, IngestSettings ingestSettings,
            UnaryOperator<Ingest> decorate) {
        this(database, settings, ingestSettings, decorate, TestServerTls.create(CipherProfile.CC32XX), new NoDeviceIdentity());
    }

    ListenerUnderTest(Database database, MovSettings settings, IngestSettings ingestSettings,
            UnaryOperator<Ingest> decorate, ServerTls tls, DeviceIdentity identity) {
        this.database = database;
        this.writer = new BatchWriter(database.dataSource(), ingestSettings, registry);
        writer.start();
        this.devices = new PgDeviceDirectory(database.dataSource(), false, registry);
        this.server = new MovServer("mov", settings, tls,
                new ReadingProcessor(devices, decorate.apply(writer), sessions), identity, registry);
        server.start();
    }

    ListenerUnderTest(Database database, MovSettings settings) {
        this(database, settings, IngestSettings.DEFAULTS, UnaryOperator.identity());
    }

    static MovSettings testSettings() {
        return MovSettings.defaults().withPort(0);
    }

    DeviceConnection connect() {
        return DeviceConnection.open(server.port());
    }

    long packets() {
        return TestDatabase.count(database, "SELECT count(*) FROM reading");
    }

    double refused(String reason) {
        return counter("locomov.readings.refused", "transport", "mov", "reason", reason);
    }

    double counter(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    MeterRegistry registry() {
        return registry;
    }

    Row onlyRowOf(long deviceId) {
        String sql = "SELECT pub_id, created_at, voltage, frequency, protected, lat, lng, transport, extra::text"
                + " FROM reading WHERE pub_id = ?";
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, deviceId);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("no packet stored for device " + deviceId);
                }
                Row row = new Row(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getObject(3, Double.class),
                        rs.getObject(4, Double.class), rs.getObject(5, Boolean.class), rs.getObject(6, Double.class),
                        rs.getObject(7, Double.class), rs.getString(8), rs.getString(9));
                if (rs.next()) {
                    throw new AssertionError("more than one packet stored for device " + deviceId);
                }
                return row;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        writer.close();
        devices.close();
    }
}
