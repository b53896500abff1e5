package org.locomov.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.locomov.store.testing.TestDatabase.addDevice;
import static org.locomov.store.testing.TestDatabase.count;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locomov.core.IngestSettings;
import org.locomov.core.Reading;
import org.locomov.core.ReadingRefusedException;
import org.locomov.core.ShuttingDownException;
import org.locomov.core.Transport;
import org.locomov.store.testing.TestDatabase;

class BatchWriterTest {

    private static Database database;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private BatchWriter writer;

    @BeforeAll
    static void openDatabase() {
        database = TestDatabase.fresh();
        for (long id = 1; id <= 3; id++) {
            addDevice(database, id);
        }
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @BeforeEach
    void emptyPacket() {
        TestDatabase.execute(database, "DELETE FROM packet");
    }

    @AfterEach
    void closeWriter() {
        if (writer != null) {
            writer.close();
        }
    }

    private BatchWriter writer(IngestSettings settings) {
        writer = new BatchWriter(database.dataSource(), settings, registry);
        return writer;
    }

    @Test
    void queuedReadingsAreWrittenAsOneBatchWithEveryColumnRight() throws Exception {
        BatchWriter writer = writer(IngestSettings.DEFAULTS);
        Instant deviceTime = Instant.parse("2026-02-27T08:30:00Z");
        Instant receivedAt = Instant.parse("2026-03-01T10:00:00.123456Z");
        List<CompletableFuture<Void>> acks = List.of(
                writer.submit(new Reading(1, deviceTime, receivedAt, true, 231.25, 49.98, 52.52, 13.405, null, Transport.MOV)),
                writer.submit(new Reading(2, null, receivedAt, false, null, null, null, null,
                        "{\"fw\":\"1.2.3\",\"rssi\":-61}", Transport.MQTT)));
        writer.start();

        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        List<List<Object>> rows = rows("SELECT pub_id, created_at, voltage, frequency, protected, lat, lng, extra::text, transport, "
                + "saved_at IS NOT NULL FROM reading ORDER BY pub_id");
        assertThat(rows).containsExactly(
                List.of(1L, deviceTime, 231.25, 49.98, true, 52.52, 13.405, "null", "mov", true),
                List.of(2L, receivedAt, "null", "null", false, "null", "null", "{\"fw\": \"1.2.3\", \"rssi\": -61}", "mqtt", true));
        assertThat(registry.get("locomov.batch.size").summary().count()).isEqualTo(1);
        assertThat(registry.get("locomov.batch.size").summary().max()).isEqualTo(2);
        assertThat(registry.get("locomov.readings.committed").tag("transport", "mov").counter().count()).isEqualTo(1);
        assertThat(registry.get("locomov.readings.committed").tag("transport", "mqtt").counter().count()).isEqualTo(1);
    }

    @Test
    void ackWaitsForTheCommitAndTheRowIsVisibleWhenItComes() throws Exception {
        BatchWriter writer = writer(IngestSettings.DEFAULTS);
        writer.start();
        try (Connection lockHolder = database.dataSource().getConnection()) {
            lockHolder.setAutoCommit(false);
            // Packet's foreign key check needs a KEY SHARE lock on the pub row, which FOR UPDATE blocks.
            try (PreparedStatement lock = lockHolder.prepareStatement("SELECT 1 FROM pub WHERE pub_id = 1 FOR UPDATE")) {
                lock.executeQuery().close();
            }
            CompletableFuture<Void> ack = writer.submit(Readings.of(1));
            CompletableFuture<Long> visibleAtAck =
                    ack.thenApply(done -> count(database, "SELECT count(*) FROM reading WHERE pub_id = 1"));

            await().atMost(Duration.ofSeconds(30)).until(() -> count(database,
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") == 1);
            assertThat(ack).isNotDone();
            assertThat(count(database, "SELECT count(*) FROM reading")).isZero();

            lockHolder.commit();
            assertThat(visibleAtAck.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    @Test
    void aRefusedReadingFailsAloneWhileTheRestOfItsBatchCommits() {
        BatchWriter writer = writer(IngestSettings.DEFAULTS);
        CompletableFuture<Void> first = writer.submit(Readings.of(1));
        CompletableFuture<Void> unknownDevice = writer.submit(Readings.of(99));
        CompletableFuture<Void> farFuture = writer.submit(Readings.at(2, Instant.ofEpochSecond(1L << 50)));
        CompletableFuture<Void> nulInJson = writer.submit(Readings.withExtra(2, "{\"note\":\"a\\u0000b\"}"));
        CompletableFuture<Void> last = writer.submit(Readings.of(3));
        writer.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> last.isDone() && first.isDone());
        assertThat(first).isCompleted();
        assertThat(last).isCompleted();
        assertRefused(unknownDevice, "unknown device 99");
        assertRefused(farFuture, "timestamp out of range");
        assertRefused(nulInJson, "invalid extra fields");
        assertThat(count(database, "SELECT count(*) FROM reading")).isEqualTo(2);
        assertThat(count(database, "SELECT count(*) FROM reading WHERE pub_id IN (1, 3)")).isEqualTo(2);
        assertThat(registry.get("locomov.readings.failed").tag("reason", "refused").counter().count()).isEqualTo(3);
    }

    @Test
    void readingsSubmittedTogetherAreStoredAllOrNoneWhileOthersInTheBatchCommit() {
        BatchWriter writer = writer(IngestSettings.DEFAULTS);
        CompletableFuture<Void> single = writer.submit(Readings.of(1));
        CompletableFuture<Void> goodArray = writer.submitAll(java.util.List.of(Readings.of(2), Readings.of(2), Readings.of(3)));
        CompletableFuture<Void> badArray = writer.submitAll(java.util.List.of(Readings.of(3), Readings.of(99)));
        writer.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> single.isDone() && goodArray.isDone() && badArray.isDone());
        assertThat(single).isCompleted();
        assertThat(goodArray).isCompleted();
        assertRefused(badArray, "unknown device 99");
        assertThat(count(database, "SELECT count(*) FROM reading WHERE pub_id = 2")).isEqualTo(2);
        assertThat(count(database, "SELECT count(*) FROM reading WHERE pub_id = 3")).as("none of the refused array")
                .isEqualTo(1);
        assertThat(registry.get("locomov.readings.failed").tag("reason", "refused").counter().count()).isEqualTo(2);
    }

    @Test
    void aFullQueueRefusesToQueueAndCallsBackWhenItDrains() throws Exception {
        BatchWriter writer = writer(new IngestSettings(2, 100, Duration.ofSeconds(30)));
        CompletableFuture<Void> first = writer.submit(Readings.of(1));
        CompletableFuture<Void> second = writer.submit(Readings.of(2));
        AtomicInteger calls = new AtomicInteger();

        assertThat(writer.submit(Readings.of(3))).isNull();
        writer.whenCapacity(calls::incrementAndGet);
        assertThat(calls).hasValue(0);

        writer.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> calls.get() == 1);
        CompletableFuture.allOf(first, second).get(30, TimeUnit.SECONDS);
        assertThat(writer.submit(Readings.of(3))).isNotNull().succeedsWithin(Duration.ofSeconds(30));
        assertThat(calls).hasValue(1);
        assertThat(count(database, "SELECT count(*) FROM reading")).isEqualTo(3);
    }

    @Test
    void whenCapacityRunsAtOnceWhileThereIsRoom() {
        BatchWriter writer = writer(IngestSettings.DEFAULTS);
        AtomicInteger calls = new AtomicInteger();
        writer.whenCapacity(calls::incrementAndGet);
        assertThat(calls).hasValue(1);
    }

    @Test
    void closeCommitsWhatIsQueuedThenRefusesNewReadings() {
        BatchWriter writer = writer(new IngestSettings(1_000, 10, Duration.ofSeconds(30)));
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            acks.add(writer.submit(Readings.of(1 + i % 3)));
        }
        writer.start();
        writer.close();

        assertThat(acks).allSatisfy(ack -> assertThat(ack).isCompleted());
        assertThat(count(database, "SELECT count(*) FROM reading")).isEqualTo(50);
        assertThat(writer.submit(Readings.of(1)))
                .failsWithin(Duration.ZERO)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(ShuttingDownException.class);
        assertThat(registry.get("locomov.readings.failed").tag("reason", "shutdown").counter().count()).isEqualTo(1);
    }

    @Test
    void lastSeenIsKeptCurrentButNotRewrittenWithinAMinute() throws Exception {
        TestDatabase.execute(database, "UPDATE pub SET last_seen_at = NULL");
        BatchWriter writer = writer(IngestSettings.DEFAULTS);
        writer.start();
        writer.submit(Readings.of(1)).get(30, TimeUnit.SECONDS);
        long firstSeen = count(database, "SELECT (extract(epoch FROM last_seen_at) * 1000000)::bigint FROM pub WHERE pub_id = 1");

        writer.submit(Readings.of(1)).get(30, TimeUnit.SECONDS);

        assertThat(count(database, "SELECT (extract(epoch FROM last_seen_at) * 1000000)::bigint FROM pub WHERE pub_id = 1"))
                .isEqualTo(firstSeen);
        assertThat(count(database, "SELECT count(*) FROM pub WHERE last_seen_at IS NULL AND pub_id IN (2, 3)")).isEqualTo(2);
    }

    private static void assertRefused(CompletableFuture<Void> ack, String reason) {
        assertThat(ack).failsWithin(Duration.ZERO)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause()
                .isInstanceOf(ReadingRefusedException.class)
                .withMessage(reason);
    }

    private static List<List<Object>> rows(String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement query = connection.prepareStatement(sql);
                ResultSet result = query.executeQuery()) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    Object value = result.getObject(i);
                    if (value instanceof java.sql.Timestamp timestamp) {
                        value = timestamp.toInstant();
                    } else if (value instanceof java.time.OffsetDateTime time) {
                        value = time.toInstant();
                    }
                    row.add(value == null ? "null" : value);
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
