package org.locomov.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

import static org.locomov.store.DeviceAdmin.instant;
import static org.locomov.store.DeviceAdmin.nullableBoolean;
import static org.locomov.store.DeviceAdmin.nullableDouble;

/**
 * Reading the stored readings of one device back, through the view {@code reading} (the old shape of
 * {@code packet}, migration V8): pages in a stable order (keyset paging on {@code (created_at, id)},
 * served by the index {@code packet (pub_id, created_at)}), time buckets
 * aggregated by PostgreSQL, and a stream of any length read through a server-side cursor.
 *
 * <p>SQL text is only ever chosen from the constants here; every value is a bind parameter.
 * Thread-safe: holds only the data source; every call borrows its own connection.
 */
public final class ReadingQueries {

    /** Rows fetched from PostgreSQL per round trip while streaming. */
    static final int STREAM_FETCH_SIZE = 1_000;

    public enum Order {
        /** Oldest first. */
        ASC("ORDER BY created_at ASC, id ASC", "(created_at, id) > (?, ?)"),
        /** Newest first. */
        DESC("ORDER BY created_at DESC, id DESC", "(created_at, id) < (?, ?)");

        private final String orderBy;
        private final String after;

        Order(String orderBy, String after) {
            this.orderBy = orderBy;
            this.after = after;
        }
    }

    /** How the readings of one bucket are combined; each maps to one SQL aggregate. */
    public enum Aggregate {
        AVG("avg"), MIN("min"), MAX("max"), COUNT("count");

        private final String sqlFunction;

        Aggregate(String sqlFunction) {
            this.sqlFunction = sqlFunction;
        }

        public static Optional<Aggregate> parse(String name) {
            for (Aggregate aggregate : values()) {
                if (aggregate.name().equalsIgnoreCase(name)) {
                    return Optional.of(aggregate);
                }
            }
            return Optional.empty();
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A half-open range of {@code created_at}; either end may be null for "unbounded". */
    public record TimeRange(Instant fromInclusive, Instant toExclusive) {
        public static final TimeRange ALL = new TimeRange(null, null);
    }

    /** A place in the {@code (created_at, id)} order: paging continues after it. */
    public record Position(Instant createdAt, long id) {
    }

    /** One stored reading. */
    public record ReadingRow(long id, long deviceId, Instant createdAt, Instant savedAt, Double voltage, Double frequency,
                             Boolean protectedStatus, Double lat, Double lng, String extraJson, String transport) {
        public Position position() {
            return new Position(createdAt, id);
        }
    }

    /** A page of readings; {@code next} is where the following page starts, or null on the last page. */
    public record Page(List<ReadingRow> rows, Position next) {
    }

    /**
     * One time bucket. {@code count} is the number of readings in it; {@code voltage} and
     * {@code frequency} are the chosen aggregate of the non-null values (null when there are none;
     * for {@link Aggregate#COUNT}, the number of non-null values).
     */
    public record Bucket(Instant start, long count, Double voltage, Double frequency) {
    }

    /** Receives streamed rows one at a time; an {@link IOException} (the client went away) stops the stream. */
    @FunctionalInterface
    public interface RowSink {
        void accept(ReadingRow row) throws IOException;
    }

    private static final String COLUMNS =
            "id, pub_id, created_at, saved_at, voltage, frequency, protected, lat, lng, extra::text AS extra, transport";
    private static final String IN_RANGE = """
            pub_id = ? AND created_at >= coalesce(?::timestamptz, '-infinity') \
            AND created_at < coalesce(?::timestamptz, 'infinity')""";
    /** Bucket starts are aligned to multiples of the width since the Unix epoch, in UTC. */
    private static final String BUCKET_START = "date_bin(make_interval(secs => ?), created_at, TIMESTAMPTZ 'epoch')";

    private final DataSource dataSource;

    public ReadingQueries(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * One page of a device's readings.
     *
     * @param after where the previous page ended, or null for the first page
     * @param limit most rows on the page, at least 1
     */
    public Page page(long deviceId, TimeRange range, Order order, int limit, Position after) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        String sql = "SELECT " + COLUMNS + " FROM reading WHERE " + IN_RANGE
                + (after == null ? "" : " AND " + order.after) + " " + order.orderBy + " LIMIT ?";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            int index = setRange(select, deviceId, range);
            if (after != null) {
                select.setObject(index++, utc(after.createdAt()));
                select.setLong(index++, after.id());
            }
            // One row more than asked tells whether another page follows, without a count.
            select.setInt(index, limit + 1);
            try (ResultSet rows = select.executeQuery()) {
                List<ReadingRow> page = new ArrayList<>(Math.min(limit, 1_000));
                boolean more = false;
                while (rows.next()) {
                    if (page.size() == limit) {
                        more = true;
                        break;
                    }
                    page.add(readRow(rows));
                }
                return new Page(page, more ? page.getLast().position() : null);
            }
        } catch (SQLException e) {
            throw new StoreQueryException("could not read the readings of device " + deviceId, e);
        }
    }

    /**
     * A device's readings in buckets of width {@code every}, oldest first, computed by PostgreSQL;
     * empty buckets are left out.
     *
     * @param maxBuckets most buckets returned (the oldest ones are kept)
     */
    public List<Bucket> buckets(long deviceId, TimeRange range, Duration every, Aggregate aggregate, int maxBuckets) {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("bucket width must be positive, was " + every);
        }
        String function = aggregate.sqlFunction;
        String sql = "SELECT " + BUCKET_START + " AS bucket, count(*) AS n, "
                + function + "(voltage)::double precision AS voltage, "
                + function + "(frequency)::double precision AS frequency"
                + " FROM reading WHERE " + IN_RANGE + " GROUP BY bucket ORDER BY bucket LIMIT ?";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setDouble(1, every.toNanos() / 1e9);
            int index = setRange(select, 2, deviceId, range);
            select.setInt(index, maxBuckets);
            try (ResultSet rows = select.executeQuery()) {
                List<Bucket> buckets = new ArrayList<>();
                while (rows.next()) {
                    buckets.add(new Bucket(instant(rows, "bucket"), rows.getLong("n"),
                            nullableDouble(rows, "voltage"), nullableDouble(rows, "frequency")));
                }
                return buckets;
            }
        } catch (SQLException e) {
            throw new StoreQueryException("could not aggregate the readings of device " + deviceId, e);
        }
    }

    /**
     * Hands every reading of the range to {@code sink}, in order, holding at most
     * {@value #STREAM_FETCH_SIZE} rows in memory: PgJDBC uses a server-side cursor when autocommit is
     * off and a fetch size is set. Blocks the calling thread for as long as the sink takes.
     *
     * @return the number of rows handed to the sink
     * @throws IOException when the sink failed; the query is abandoned and its transaction rolled back
     */
    public long stream(long deviceId, TimeRange range, Order order, RowSink sink) throws IOException {
        String sql = "SELECT " + COLUMNS + " FROM reading WHERE " + IN_RANGE + " " + order.orderBy;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                select.setFetchSize(STREAM_FETCH_SIZE);
                setRange(select, deviceId, range);
                long count = 0;
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        sink.accept(readRow(rows));
                        count++;
                    }
                }
                return count;
            } finally {
                connection.rollback();
                connection.setReadOnly(false);
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreQueryException("could not stream the readings of device " + deviceId, e);
        }
    }

    private static int setRange(PreparedStatement statement, long deviceId, TimeRange range) throws SQLException {
        return setRange(statement, 1, deviceId, range);
    }

    private static int setRange(PreparedStatement statement, int index, long deviceId, TimeRange range) throws SQLException {
        statement.setLong(index, deviceId);
        statement.setObject(index + 1, utc(range.fromInclusive()));
        statement.setObject(index + 2, utc(range.toExclusive()));
        return index + 3;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static ReadingRow readRow(ResultSet row) throws SQLException {
        return new ReadingRow(row.getLong("id"), row.getLong("pub_id"), instant(row, "created_at"), instant(row, "saved_at"),
                nullableDouble(row, "voltage"), nullableDouble(row, "frequency"), nullableBoolean(row, "protected"),
                nullableDouble(row, "lat"), nullableDouble(row, "lng"), row.getString("extra"), row.getString("transport"));
    }
}
