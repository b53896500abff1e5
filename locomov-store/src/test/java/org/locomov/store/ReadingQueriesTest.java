package org.locomov.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locomov.store.ReadingQueries.Aggregate;
import org.locomov.store.ReadingQueries.Bucket;
import org.locomov.store.ReadingQueries.Order;
import org.locomov.store.ReadingQueries.Page;
import org.locomov.store.ReadingQueries.ReadingRow;
import org.locomov.store.ReadingQueries.TimeRange;
import org.locomov.store.testing.TestDatabase;

class ReadingQueriesTest {

    private static final Instant T0 = Instant.parse("2026-04-01T00:00:00Z");
    private static Database database;
    private static ReadingQueries queries;

    @BeforeAll
    static void open() {
        database = TestDatabase.fresh();
        queries = new ReadingQueries(database.dataSource());
        TestDatabase.addDevice(database, 1);
        TestDatabase.addDevice(database, 2);
        // Ten readings, two per timestamp: 00:00, 00:00, 00:01, 00:01, ... voltage 0..9.
        TestDatabase.execute(database, """
                INSERT INTO reading (pub_id, created_at, voltage, extra, transport)
                SELECT 1, ?::timestamptz + (g / 2) * interval '1 minute', g, '{"k": "v"}', 'mqtt' FROM generate_series(0, 9) g""",
                T0.toString());
        TestDatabase.execute(database, "INSERT INTO reading (pub_id, created_at, voltage, transport) VALUES (2, ?::timestamptz, 99, 'mov')",
                T0.toString());
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void keysetPagesWalkTheWholeRangeInBothOrders() {
        assertThat(walk(Order.ASC, 3)).extracting(ReadingRow::voltage)
                .containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0);
        assertThat(walk(Order.DESC, 4)).extracting(ReadingRow::voltage)
                .containsExactly(9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.0);
    }

    @Test
    void lastPageHasNoNextPosition() {
        Page all = queries.page(1, TimeRange.ALL, Order.ASC, 10, null);

        assertThat(all.rows()).hasSize(10);
        assertThat(all.next()).isNull();
        assertThat(all.rows().getFirst().extraJson()).isEqualTo("{\"k\": \"v\"}");
        assertThat(all.rows().getFirst().transport()).isEqualTo("mqtt");
    }

    @Test
    void bucketsAreComputedPerWidthFromTheEpoch() {
        List<Bucket> buckets = queries.buckets(1, TimeRange.ALL, Duration.ofMinutes(2), Aggregate.AVG, 100);

        // 00:00-00:02 holds voltages 0..3, 00:02-00:04 holds 4..7, 00:04-00:06 holds 8, 9.
        assertThat(buckets).extracting(Bucket::start).containsExactly(T0, T0.plusSeconds(120), T0.plusSeconds(240));
        assertThat(buckets).extracting(Bucket::voltage).containsExactly(1.5, 5.5, 8.5);
        assertThat(buckets).extracting(Bucket::count).containsExactly(4L, 4L, 2L);
        assertThat(buckets).extracting(Bucket::frequency).containsOnlyNulls();
    }

    @Test
    void bucketLimitKeepsTheOldest() {
        assertThat(queries.buckets(1, TimeRange.ALL, Duration.ofMinutes(1), Aggregate.MAX, 2))
                .extracting(Bucket::voltage).containsExactly(1.0, 3.0);
    }

    @Test
    void streamHandsEveryRowOfTheRangeToTheSinkInOrder() throws IOException {
        List<Double> seen = new ArrayList<>();

        long count = queries.stream(1, new TimeRange(T0.plusSeconds(60), T0.plusSeconds(180)), Order.DESC, row -> seen.add(row.voltage()));

        assertThat(count).isEqualTo(4);
        assertThat(seen).containsExactly(5.0, 4.0, 3.0, 2.0);
    }

    @Test
    void sinkFailureStopsTheStreamAndLeavesTheConnectionUsable() {
        List<Long> seen = new ArrayList<>();

        assertThatThrownBy(() -> queries.stream(1, TimeRange.ALL, Order.ASC, row -> {
            seen.add(row.id());
            throw new IOException("client went away");
        })).isInstanceOf(IOException.class).hasMessage("client went away");

        assertThat(seen).hasSize(1);
        assertThat(queries.page(1, TimeRange.ALL, Order.ASC, 100, null).rows()).hasSize(10);
    }

    private static List<ReadingRow> walk(Order order, int pageSize) {
        List<ReadingRow> rows = new ArrayList<>();
        ReadingQueries.Position after = null;
        do {
            Page page = queries.page(1, TimeRange.ALL, order, pageSize, after);
            rows.addAll(page.rows());
            after = page.next();
        } while (after != null);
        return rows;
    }
}
