package org.locomov.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the monthly partitions of {@code packet} and {@code event} (both by {@code saved_at}, in UTC) ahead
 * of the clock and drops whole partitions once they are entirely older than the retention, never row by row
 * and never the default partition. See docs/decisions/0103-monthly-partitions-and-retention.md; device events
 * share the readings' retention (decision 1102).
 *
 * <p>Several locomov nodes may run it at once: each run holds a transaction-level advisory lock.
 *
 * <p>Thread-safety: stateless between runs; {@link #runOnce()} may be called from any thread.
 */
public final class PartitionMaintenance {

    /** Last month (for late writes around midnight of the 1st), this month, and the next two. */
    static final int MONTHS_BEHIND = 1;
    static final int MONTHS_AHEAD = 2;
    static final Duration PERIOD = Duration.ofDays(1);

    private static final Logger log = LoggerFactory.getLogger(PartitionMaintenance.class);
    /** The tables partitioned by month of {@code saved_at}, each with a default partition {@code <table>_default}. */
    static final List<String> TABLES = List.of("packet", "event");

    private static final Pattern PARTITION_NAME = Pattern.compile("(?:packet|event)_y(\\d{4})m(\\d{2})");
    private static final long ADVISORY_LOCK_KEY = 0x6c6f636f6d6f76L; // "locomov"
    private static final String LOCK_TIMEOUT = "10s";

    private final DataSource dataSource;
    private final Duration retention;
    private final Clock clock;

    /**
     * @param retention how long readings are kept; {@link Duration#ZERO} keeps them forever
     * @param clock     the clock months are taken from (UTC)
     */
    public PartitionMaintenance(DataSource dataSource, Duration retention, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.retention = Objects.requireNonNull(retention, "retention");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** What one run changed. */
    public record Result(List<String> created, List<String> dropped) {
    }

    /**
     * Creates the missing partitions and drops the expired ones, in one transaction.
     *
     * @throws StoreException when the database refused or could not be reached; nothing changed then
     */
    public Result runOnce() {
        YearMonth thisMonth = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                lockOutOtherNodes(connection);
                List<String> created = new ArrayList<>();
                List<String> dropped = new ArrayList<>();
                for (String table : TABLES) {
                    List<String> existing = existingPartitions(connection, table);
                    for (int offset = -MONTHS_BEHIND; offset <= MONTHS_AHEAD; offset++) {
                        YearMonth month = thisMonth.plusMonths(offset);
                        if (!existing.contains(partitionName(table, month))) {
                            create(connection, table, month);
                            created.add(partitionName(table, month));
                        }
                    }
                    dropped.addAll(dropExpired(connection, existing));
                }
                connection.commit();
                created.forEach(name -> log.info("Created partition {}", name));
                dropped.forEach(name -> log.info("Dropped partition {} (older than the retention of {})", name, retention));
                return new Result(List.copyOf(created), List.copyOf(dropped));
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("partition maintenance failed", e);
        }
    }

    /** Runs {@link #runOnce()} every day; a failed run is logged and retried the next day. */
    public ScheduledFuture<?> start(ScheduledExecutorService scheduler) {
        return scheduler.scheduleAtFixedRate(this::runLogged, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runLogged() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.warn("Partition maintenance failed, will retry in {}: {}", PERIOD, e.getMessage());
        }
    }

    static String partitionName(YearMonth month) {
        return partitionName("packet", month);
    }

    static String partitionName(String table, YearMonth month) {
        return String.format("%s_y%04dm%02d", table, month.getYear(), month.getMonthValue());
    }

    static Optional<YearMonth> monthOf(String partitionName) {
        Matcher matcher = PARTITION_NAME.matcher(partitionName);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(YearMonth.of(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))));
    }

    private static void lockOutOtherNodes(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // DDL on packet needs strong locks: give up rather than queue behind long queries (and block inserts).
            statement.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
            statement.execute("SELECT pg_advisory_xact_lock(" + ADVISORY_LOCK_KEY + ")");
        }
    }

    private static List<String> existingPartitions(Connection connection, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                        + "WHERE i.inhparent = ?::regclass ORDER BY c.relname")) {
            query.setString(1, table);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }

    private static void create(Connection connection, String table, YearMonth month) throws SQLException {
        String name = partitionName(table, month);
        String defaultPartition = table + "_default";
        // Partition bounds cannot be bind parameters; both are built from a YearMonth, never from input.
        String bounds = "FOR VALUES FROM ('" + literal(month) + "') TO ('" + literal(month.plusMonths(1)) + "')";
        try (Statement statement = connection.createStatement()) {
            // Table names come from TABLES, never from input.
            if (defaultPartitionHolds(connection, defaultPartition, month)) {
                // PostgreSQL refuses a new partition while the default one holds rows of its range:
                // move those rows into the new table first, with writers to the default kept out.
                statement.execute("LOCK TABLE " + defaultPartition + " IN SHARE ROW EXCLUSIVE MODE");
                statement.execute("CREATE TABLE " + name + " (LIKE " + table + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
                int moved = statement.executeUpdate("WITH moved AS (DELETE FROM " + defaultPartition + " WHERE saved_at >= '"
                        + literal(month) + "' AND saved_at < '" + literal(month.plusMonths(1)) + "' RETURNING *) "
                        + "INSERT INTO " + name + " SELECT * FROM moved");
                statement.execute("ALTER TABLE " + table + " ATTACH PARTITION " + name + " " + bounds);
                log.info("Moved {} rows from {} into the new partition {}", moved, defaultPartition, name);
            } else {
                statement.execute("CREATE TABLE " + name + " PARTITION OF " + table + " " + bounds);
            }
        }
    }

    private static boolean defaultPartitionHolds(Connection connection, String defaultPartition, YearMonth month)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM " + defaultPartition + " WHERE saved_at >= ? AND saved_at < ?)")) {
            query.setObject(1, start(month));
            query.setObject(2, start(month.plusMonths(1)));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    private List<String> dropExpired(Connection connection, List<String> existing) throws SQLException {
        if (retention.isZero()) {
            return List.of();
        }
        Instant keepFrom = clock.instant().minus(retention);
        List<String> dropped = new ArrayList<>();
        for (String name : existing) {
            Optional<YearMonth> month = monthOf(name);
            if (month.isPresent() && !start(month.get().plusMonths(1)).toInstant().isAfter(keepFrom)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("DROP TABLE " + name);
                }
                dropped.add(name);
            }
        }
        return dropped;
    }

    private static String literal(YearMonth month) {
        return String.format("%04d-%02d-01 00:00:00+00", month.getYear(), month.getMonthValue());
    }

    private static OffsetDateTime start(YearMonth month) {
        return month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    }
}
