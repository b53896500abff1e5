package org.locomov.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.locomov.core.Reading;

/**
 * Writes readings into {@code packet} inside the caller's transaction: a whole batch in one
 * statement ({@link PacketRows}), and, when PostgreSQL refuses something in it, row by row behind
 * savepoints so that only the refused readings fail. Also keeps {@code pub.last_seen_at} current, cheaply.
 *
 * <p>Confined to the writer thread: its only state is when it last touched each device's row.
 */
final class PacketInsert {

    static final Duration LAST_SEEN_RESOLUTION = Duration.ofMinutes(1);
    /** Devices remembered at most; past it the memory starts again (the SQL still skips fresh rows). */
    static final int MAX_REMEMBERED_DEVICES = 100_000;

    /**
     * Device id → System.nanoTime() of the last batch that touched its {@code last_seen_at}. Without it
     * every batch would look up the pub row of every device in it, which costs PostgreSQL about as much
     * as the insert itself. A touch whose transaction then fails to commit is remembered anyway:
     * {@code last_seen_at} is then late by at most {@link #LAST_SEEN_RESOLUTION}.
     */
    private final Map<Long, Long> lastTouchedNanos = new HashMap<>();

    // Only rows not touched for a minute are written, so a busy device does not rewrite its pub row per
    // batch; rows are locked in id order so that two nodes cannot deadlock. NO KEY UPDATE does not
    // conflict with the KEY SHARE locks that packet's foreign key takes.
    private static final String TOUCH_LAST_SEEN = """
            UPDATE pub SET last_seen_at = now()
            FROM (SELECT pub_id FROM pub
                  WHERE pub_id = ANY (?::bigint[])
                    AND (last_seen_at IS NULL OR last_seen_at < now() - interval '1 minute')
                  ORDER BY pub_id
                  FOR NO KEY UPDATE) AS stale
            WHERE pub.pub_id = stale.pub_id
            """;

    /**
     * Writes {@code readings} in the transaction just begun on {@code connection}; the caller commits.
     *
     * @return one entry per reading: {@code null} when it is written, else the reason it was refused
     * @throws SQLException when the batch could not be written for a reason other than its data
     */
    String[] write(Connection connection, List<Reading> readings) throws SQLException {
        String[] refusals = new String[readings.size()];
        try {
            PacketRows.insert(connection, readings);
            touchLastSeen(connection, readings, refusals);
            return refusals;
        } catch (SQLException e) {
            if (!SqlFailures.isRefusal(e)) {
                throw e;
            }
            connection.rollback(); // nothing else is in this transaction yet
            if (readings.size() == 1) {
                refusals[0] = SqlFailures.refusalReason(e, readings.getFirst());
                return refusals;
            }
        }
        writeOneByOne(connection, readings, refusals);
        touchLastSeen(connection, readings, refusals);
        return refusals;
    }

    private void writeOneByOne(Connection connection, List<Reading> readings, String[] refusals) throws SQLException {
        for (int i = 0; i < readings.size(); i++) {
            Reading reading = readings.get(i);
            Savepoint beforeRow = connection.setSavepoint();
            try {
                PacketRows.insert(connection, List.of(reading));
                connection.releaseSavepoint(beforeRow);
            } catch (SQLException e) {
                if (!SqlFailures.isRefusal(e)) {
                    throw e;
                }
                connection.rollback(beforeRow);
                refusals[i] = SqlFailures.refusalReason(e, reading);
            }
        }
    }

    private void touchLastSeen(Connection connection, List<Reading> readings, String[] refusals)
            throws SQLException {
        long now = System.nanoTime();
        if (lastTouchedNanos.size() > MAX_REMEMBERED_DEVICES) {
            lastTouchedNanos.clear();
        }
        List<Long> stale = new ArrayList<>();
        for (int i = 0; i < readings.size(); i++) {
            if (refusals[i] == null) {
                Long deviceId = readings.get(i).deviceId();
                Long touched = lastTouchedNanos.get(deviceId);
                if (touched == null || now - touched >= LAST_SEEN_RESOLUTION.toNanos()) {
                    lastTouchedNanos.put(deviceId, now);
                    stale.add(deviceId);
                }
            }
        }
        if (stale.isEmpty()) {
            return;
        }
        Long[] distinctIds = stale.stream().sorted().toArray(Long[]::new);
        try (PreparedStatement statement = connection.prepareStatement(TOUCH_LAST_SEEN)) {
            statement.setArray(1, connection.createArrayOf("int8", distinctIds));
            statement.executeUpdate();
        }
    }
}
