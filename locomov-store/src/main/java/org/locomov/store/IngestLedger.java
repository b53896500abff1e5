package org.locomov.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * The {@code ingest_batch} table: which batches committed. A batch records its id in its own transaction
 * ({@link #record}); when COMMIT's outcome is unknown, {@link #settle} finds out whether that transaction
 * committed, so that the batch writer neither loses nor repeats its readings.
 *
 * <p>Stateless but for the time of the last prune; used by the batch writer's thread only.
 */
final class IngestLedger {

    /** What became of a batch whose COMMIT got no answer. */
    enum Outcome {
        /** Its rows are in the database: acknowledge them, write nothing. */
        COMMITTED,
        /** Nothing of it is in the database, and nothing can arrive any more: write it again. */
        NOT_COMMITTED,
        /** The database cannot say yet (unreachable, or the old session still holds its transaction): ask later. */
        UNKNOWN
    }

    private static final String RECORD = "INSERT INTO ingest_batch (id) VALUES (?)";
    /**
     * Inserting the same id waits for the in-doubt transaction if it is still running, then conflicts when it
     * committed and succeeds when it did not. Rolled back either way: it only asks.
     */
    private static final String CLAIM = "INSERT INTO ingest_batch (id) VALUES (?) ON CONFLICT (id) DO NOTHING";
    private static final String SETTLE_LOCK_TIMEOUT = "SET LOCAL lock_timeout = '5s'";
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    /** Ends the session that sent the COMMIT when it still sits in its transaction (a half-open connection). */
    private static final String END_OLD_SESSION = """
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE pid = ? AND state IN ('idle in transaction', 'idle in transaction (aborted)')
            """;
    private static final String PRUNE = "DELETE FROM ingest_batch WHERE committed_at < now() - ? * interval '1 second'";
    static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
    static final Duration MIN_KEEP = Duration.ofMinutes(10);

    private final Duration keep;
    private long lastPruneNanos = System.nanoTime();

    /** @param storageTimeout how long a reading may wait, hence how long a doubt can last */
    IngestLedger(Duration storageTimeout) {
        Duration twice = storageTimeout.multipliedBy(2);
        this.keep = twice.compareTo(MIN_KEEP) > 0 ? twice : MIN_KEEP;
    }

    /** Records {@code batchId} in the transaction open on {@code connection}. */
    void record(Connection connection, UUID batchId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(RECORD)) {
            statement.setObject(1, batchId);
            statement.executeUpdate();
        }
    }

    /** The server process of {@code connection}, known to the driver without a round trip; -1 if not PostgreSQL's. */
    static int backendPid(Connection connection) {
        try {
            return connection.unwrap(PGConnection.class).getBackendPID();
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Whether the batch {@code batchId}, written by server process {@code backendPid}, committed. */
    Outcome settle(DataSource dataSource, UUID batchId, int backendPid) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (Statement timeout = connection.createStatement()) {
                    timeout.execute(SETTLE_LOCK_TIMEOUT);
                }
                int claimed;
                try (PreparedStatement claim = connection.prepareStatement(CLAIM)) {
                    claim.setObject(1, batchId);
                    claimed = claim.executeUpdate();
                }
                return claimed == 0 ? Outcome.COMMITTED : Outcome.NOT_COMMITTED;
            } catch (SQLException e) {
                connection.rollback();
                if (LOCK_NOT_AVAILABLE.equals(e.getSQLState()) && backendPid > 0) {
                    endOldSession(connection, backendPid);
                }
                return Outcome.UNKNOWN;
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            return Outcome.UNKNOWN;
        }
    }

    private static void endOldSession(Connection connection, int backendPid) throws SQLException {
        try (PreparedStatement end = connection.prepareStatement(END_OLD_SESSION)) {
            end.setInt(1, backendPid);
            end.executeQuery().close();
        }
        connection.commit();
    }

    /** Deletes ids no doubt can ask about any more, at most once per {@link #PRUNE_EVERY}; never fails the caller. */
    void pruneIfDue(DataSource dataSource) {
        long now = System.nanoTime();
        if (now - lastPruneNanos < PRUNE_EVERY.toNanos()) {
            return;
        }
        lastPruneNanos = now;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement prune = connection.prepareStatement(PRUNE)) {
            prune.setLong(1, keep.toSeconds());
            prune.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            // Old ids only take space; the next prune tries again.
        }
    }
}
