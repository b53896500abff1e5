package org.locomov.mov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locomov.core.Ingest;
import org.locomov.core.IngestSettings;
import org.locomov.core.Reading;
import org.locomov.store.testing.StoppableDatabase;
import org.locomov.store.testing.TestDatabase;

/** The promise while PostgreSQL is down: nothing is acknowledged, nothing is dropped. */
class MovListenerOutageTest {

    private static final Duration LONG_STORAGE_TIMEOUT = Duration.ofMinutes(2);

    private StoppableDatabase postgres;
    private ListenerUnderTest listener;

    @BeforeEach
    void startPostgres() {
        postgres = TestDatabase.ownServer();
        TestDatabase.addDevice(postgres.database(), 1);
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.close();
        }
        postgres.close();
    }

    @Test
    void noAckWhilePostgresIsStoppedAndTheAckArrivesOnceItIsBack() {
        listener = new ListenerUnderTest(postgres.database(), ListenerUnderTest.testSettings(),
                new IngestSettings(100, 10, LONG_STORAGE_TIMEOUT), UnaryOperator.identity());
        try (DeviceConnection device = listener.connect()) {
            assertThat(device.send(Samples.bytes(Samples.CC3220S_1)).readLine()).isEqualTo("Thank you.\n");

            postgres.stopServer();
            CompletableFuture<String> reply = device.send(Samples.bytes(Samples.CC3220S_2)).readLineLater();
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> !reply.isDone());

            postgres.startServer();
            await().atMost(Duration.ofSeconds(60)).until(reply::isDone);
            assertThat(reply.join()).isEqualTo("Thank you.\n");
        }
        assertThat(listener.packets()).isEqualTo(2);
    }

    @Test
    void readingThatFindsTheQueueFullIsHeldNotDroppedAndStoredOnceTheDatabaseIsBack() {
        HeldCounter counter = new HeldCounter();
        listener = new ListenerUnderTest(postgres.database(), ListenerUnderTest.testSettings(),
                new IngestSettings(1, 1, LONG_STORAGE_TIMEOUT), counter::around);
        try (DeviceConnection first = listener.connect();
                DeviceConnection second = listener.connect();
                DeviceConnection third = listener.connect()) {
            assertThat(first.send("{\"id\":1,\"voltage\":0}").readLine()).isEqualTo("Thank you.\n");

            postgres.stopServer();
            // One reading sits in the writer's failing batch, one in the queue of one, one finds it full.
            List<CompletableFuture<String>> replies = List.of(
                    first.send("{\"id\":1,\"voltage\":1}").readLineLater(),
                    second.send("{\"id\":1,\"voltage\":2}").readLineLater(),
                    third.send("{\"id\":1,\"voltage\":3}").readLineLater());
            await().atMost(Duration.ofSeconds(30)).until(() -> counter.held.get() >= 1);
            assertThat(replies).noneMatch(CompletableFuture::isDone);

            postgres.startServer();
            await().atMost(Duration.ofSeconds(60)).until(() -> replies.stream().allMatch(CompletableFuture::isDone));
            assertThat(replies).extracting(CompletableFuture::join).containsOnly("Thank you.\n");
        }
        assertThat(listener.packets()).isEqualTo(4);
        assertThat(TestDatabase.count(postgres.database(),
                "SELECT count(DISTINCT voltage) FROM reading WHERE voltage IN (1, 2, 3)")).isEqualTo(3);
    }

    @Test
    void readingNotCommittedWithinTheStorageTimeoutIsRefusedAndTheConnectionStaysUsable() {
        listener = new ListenerUnderTest(postgres.database(), ListenerUnderTest.testSettings(),
                new IngestSettings(100, 10, Duration.ofSeconds(1)), UnaryOperator.identity());
        try (DeviceConnection device = listener.connect()) {
            assertThat(device.send("{\"id\":1}").readLine()).isEqualTo("Thank you.\n");

            postgres.stopServer();
            assertThat(device.send("{\"id\":1,\"voltage\":7}").readLine())
                    .isEqualTo("Error: storage unavailable, try again later\n");
            assertThat(listener.refused("storage_unavailable")).isEqualTo(1.0);

            postgres.startServer();
            assertThat(device.send("{\"id\":1,\"voltage\":8}").readLine()).isEqualTo("Thank you.\n");
        }
        assertThat(TestDatabase.count(postgres.database(), "SELECT count(*) FROM reading WHERE voltage = 7")).isZero();
        assertThat(listener.packets()).isEqualTo(2);
    }

    @Test
    void closeLetsThePacketInFlightBeAcknowledgedThenClosesItsConnection() {
        listener = new ListenerUnderTest(postgres.database(), ListenerUnderTest.testSettings().withDrainTimeout(Duration.ofMinutes(2)),
                new IngestSettings(100, 10, LONG_STORAGE_TIMEOUT), UnaryOperator.identity());
        try (DeviceConnection device = listener.connect()) {
            assertThat(device.send("{\"id\":1}").readLine()).isEqualTo("Thank you.\n");
            postgres.stopServer();
            CompletableFuture<String> reply = device.send("{\"id\":1,\"voltage\":9}").readLineLater();
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> !reply.isDone());

            CompletableFuture<Void> closing = CompletableFuture.runAsync(listener.server::close);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> !closing.isDone());

            postgres.startServer();
            await().atMost(Duration.ofSeconds(60)).until(() -> reply.isDone() && closing.isDone());
            assertThat(reply.join()).isEqualTo("Thank you.\n");
            assertThat(device.isClosedByServer()).isTrue();
        }
        assertThat(TestDatabase.count(postgres.database(), "SELECT count(*) FROM reading WHERE voltage = 9")).isEqualTo(1);
    }

    /** Passes every call to the real writer, counting the submits it turned away because its queue was full. */
    private static final class HeldCounter {
        final AtomicInteger held = new AtomicInteger();

        Ingest around(Ingest writer) {
            return new Ingest() {
                @Override
                public CompletableFuture<Void> submit(Reading reading) {
                    CompletableFuture<Void> committed = writer.submit(reading);
                    if (committed == null) {
                        held.incrementAndGet();
                    }
                    return committed;
                }

                @Override
                public CompletableFuture<Void> submitAll(java.util.List<Reading> readings) {
                    CompletableFuture<Void> committed = writer.submitAll(readings);
                    if (committed == null) {
                        held.incrementAndGet();
                    }
                    return committed;
                }

                @Override
                public void whenCapacity(Runnable task) {
                    writer.whenCapacity(task);
                }
            };
        }
    }
}
