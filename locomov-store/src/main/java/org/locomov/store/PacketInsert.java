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
 * binary COPY ({@link PacketRows#copy}), and, when PostgreSQL refuses something in it, row by row behind
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
     * Writes {@code groups} in the transaction just begun on {@code connection}; the caller commits. The
     * readings of one group (a device's array) are written together or not at all.
     *
     * @return one entry per group: {@code null} when it is written, else the reason it was refused
     * @throws SQLException when the batch could not be written for a reason other than its data
     */
    String[] write(Connection connection, List<List<Reading>> groups) throws SQLException {
        String[] refusals = new String[groups.size()];
        List<Reading> all = new ArrayList<>();
        groups.forEach(all::addAll);
        try {
            PacketRows.copy(connection, all);
            touchLastSeen(connection, groups, refusals);
            return refusals;
        } catch (SQLException e) {
            if (!SqlFailures.isRefusal(e)) {
                throw e;
            }
            connection.rollback(); // nothing else is in this transaction yet
            if (groups.size() == 1 && groups.getFirst().size() == 1) {
                refusals[0] = SqlFailures.refusalReason(e, groups.getFirst().getFirst());
                return refusals;
            }
        }
        writeOneByOne(connection, groups, refusals);
        touchLastSeen(connection, groups, refusals);
        return refusals;
    }

    private void writeOneByOne(Connection connection, List<List<Reading>> groups, String[] refusals) throws SQLException {
        for (int i = 0; i < groups.size(); i++) {
            List<Reading> group = groups.get(i);
            Savepoint beforeGroup = connection.setSavepoint();
            try {
                PacketRows.copy(connection, group);
                connection.releaseSavepoint(beforeGroup);
            } catch (SQLException e) {
                if (!SqlFailures.isRefusal(e)) {
                    throw e;
                }
                connection.rollback(beforeGroup);
                refusals[i] = group.size() == 1 ? SqlFailures.refusalReason(e, group.getFirst())
                        : firstRefusal(connection, group);
                connection.rollback(beforeGroup);
            }
        }
    }

    /** Why PostgreSQL refuses a group: its first reading refused alone (the caller rolls all of them back). */
    private static String firstRefusal(Connection connection, List<Reading> group) throws SQLException {
        for (Reading reading : group) {
            Savepoint beforeRow = connection.setSavepoint();
            try {
                PacketRows.copy(connection, List.of(reading));
            } catch (SQLException e) {
                if (!SqlFailures.isRefusal(e)) {
                    throw e;
                }
                connection.rollback(beforeRow);
                return SqlFailures.refusalReason(e, reading);
            }
        }
        return "refused by the database";
    }

    private void touchLastSeen(Connection connection, List<List<Reading>> groups, String[] refusals)
            throws SQLException {
        long now = System.nanoTime();
        if (lastTouchedNanos.size() > MAX_REMEMBERED_DEVICES) {
            lastTouchedNanos.clear();
        }
        List<Long> stale = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            if (refusals[i] != null) {
                continue;
            }
            for (Reading reading : groups.get(i)) {
                Long deviceId = reading.deviceId();
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
