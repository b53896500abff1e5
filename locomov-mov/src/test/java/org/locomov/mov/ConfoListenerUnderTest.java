package org.locomov.mov;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.locomov.store.ConfoRepository;
import org.locomov.store.Database;
import org.locomov.tls.CipherProfile;
import org.locomov.transport.testing.NoDeviceIdentity;
import org.locomov.transport.testing.TestServerTls;

/**
 * A confo listener wired as the server wires it: a {@link MovServer} named {@code confo} with a
 * {@link ConfoProcessor}, real TLS from the test CA (cc32xx, as devices need), a real PostgreSQL database,
 * on a free loopback port. {@link #tables()} reads back the five tables a confirmation may change.
 */
final class ConfoListenerUnderTest implements AutoCloseable {

    /** The rows of sub, csub, pub, confo and cconfo, each row as its columns joined by {@code |}. */
    record Tables(List<String> sub, List<String> csub, List<String> pub, List<String> confo, List<String> cconfo) {
    }

    final Database database;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final MovServer server;
    private final ExecutorService databaseThreads = Executors.newFixedThreadPool(2);

    ConfoListenerUnderTest(Database database) {
        this.database = database;
        this.server = new MovServer("confo", MovSettings.defaults().withPort(0),
                TestServerTls.create(CipherProfile.CC32XX),
                new ConfoProcessor(new ConfoRepository(database.dataSource()), databaseThreads), new NoDeviceIdentity(),
                registry);
        server.start();
    }

    DeviceConnection connect() {
        return DeviceConnection.open(server.port());
    }

    /** Sends one confirmation on a new connection and returns the reply line. */
    String post(byte[] confirmation) {
        try (DeviceConnection device = connect()) {
            return device.send(confirmation).readLine();
        }
    }

    String post(String confirmation) {
        return post(confirmation.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    Tables tables() {
        return new Tables(
                rows("SELECT id, email FROM sub ORDER BY id"),
                rows("SELECT email FROM csub ORDER BY id"),
                rows("SELECT pub_id, hash, name, ssid, creator FROM pub ORDER BY pub_id"),
                rows("SELECT pub_id, sub_id, device_name, ssid, hash, email, extract(epoch FROM device_time)::bigint"
                        + " FROM confo ORDER BY id"),
                rows("SELECT pub_id, sub_id, device_name, ssid, hash, email, reason FROM cconfo ORDER BY id"));
    }

    private List<String> rows(String sql) {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement query = connection.prepareStatement(sql);
                ResultSet rs = query.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        server.close();
        databaseThreads.shutdownNow();
    }
}
