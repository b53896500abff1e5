package org.locomov.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.locomov.core.session.DeviceDescription;
import org.locomov.core.session.DeviceDescriptions;

/**
 * What devices said they offer, in table {@code device_description} (V11), one row per device, replaced by
 * each new description (docs/decisions/1021-device-descriptions-and-reserved-commands.md).
 *
 * <p>Thread-safe: every call borrows its own connection; the asynchronous calls run on {@code executor}.
 */
public final class PgDeviceDescriptions implements DeviceDescriptions {

    private final DataSource dataSource;
    private final Executor executor;

    public PgDeviceDescriptions(DataSource dataSource, Executor executor) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public CompletableFuture<Void> publish(long deviceId, DeviceDescription description) {
        return CompletableFuture.runAsync(() -> publishNow(deviceId, description), executor);
    }

    @Override
    public CompletableFuture<Optional<DeviceDescription>> find(long deviceId) {
        return CompletableFuture.supplyAsync(() -> findNow(deviceId), executor);
    }

    /** {@link #publish} on the caller's thread. A device that no longer exists is not described. */
    public void publishNow(long deviceId, DeviceDescription description) {
        String[] names = description.variables().keySet().toArray(String[]::new);
        String[] types = description.variables().values().toArray(String[]::new);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement("""
                     INSERT INTO device_description (pub_id, functions, variables)
                     SELECT pub_id, ?, jsonb_object(?::text[], ?::text[]) FROM pub WHERE pub_id = ?
                     ON CONFLICT (pub_id) DO UPDATE
                         SET functions = excluded.functions, variables = excluded.variables, described_at = now()""")) {
            upsert.setArray(1, connection.createArrayOf("text", description.functions().toArray()));
            upsert.setArray(2, connection.createArrayOf("text", names));
            upsert.setArray(3, connection.createArrayOf("text", types));
            upsert.setLong(4, deviceId);
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new StoreQueryException("could not record the description of device " + deviceId, e);
        }
    }

    /** {@link #find} on the caller's thread. */
    public Optional<DeviceDescription> findNow(long deviceId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     SELECT functions,
                            ARRAY(SELECT key FROM jsonb_each_text(variables) ORDER BY key) AS names,
                            ARRAY(SELECT value FROM jsonb_each_text(variables) ORDER BY key) AS types
                     FROM device_description WHERE pub_id = ?""")) {
            select.setLong(1, deviceId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                List<String> names = strings(row.getArray("names"));
                List<String> types = strings(row.getArray("types"));
                Map<String, String> variables = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    variables.put(names.get(i), types.get(i));
                }
                return Optional.of(new DeviceDescription(strings(row.getArray("functions")), variables));
            }
        } catch (SQLException e) {
            throw new StoreQueryException("could not read the description of device " + deviceId, e);
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }
}
