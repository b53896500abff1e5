package org.locomov.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.locomov.store.testing.TestDatabase.addDevice;
import static org.locomov.store.testing.TestDatabase.count;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locomov.core.IngestSettings;
import org.locomov.core.StorageUnavailableException;
import org.locomov.store.testing.StoppableDatabase;
import org.locomov.store.testing.TestDatabase;

/** The batch writer while PostgreSQL is stopped, on a private server. */
class BatchWriterOutageTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private StoppableDatabase stoppable;
    private BatchWriter writer;

    @BeforeEach
    void startServer() {
        stoppable = TestDatabase.ownServer();
        addDevice(stoppable.database(), 1);
    }

    @AfterEach
    void stopEverything() {
        if (writer != null) {
            writer.close();
        }
        stoppable.close();
    }

    private BatchWriter startWriter(Duration storageTimeout) {
        writer = new BatchWriter(stoppable.database().dataSource(), new IngestSettings(100, 10, storageTimeout), registry);
        writer.start();
        return writer;
    }

    @Test
    void nothingIsAcknowledgedWhileTheDatabaseIsDownAndEverythingIsStoredOnceItIsBack() {
        BatchWriter writer = startWriter(Duration.ofMinutes(2));
        assertThat(writer.submit(Readings.of(1))).succeedsWithin(Duration.ofSeconds(30));

        stoppable.stopServer();
        List<CompletableFuture<Void>> acks = List.of(
                writer.submit(Readings.of(1)), writer.submit(Readings.of(1)), writer.submit(Readings.of(1)));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> acks.stream().noneMatch(CompletableFuture::isDone));

        stoppable.startServer();
        await().atMost(Duration.ofSeconds(60)).until(() -> acks.stream().allMatch(CompletableFuture::isDone));
        assertThat(acks).allSatisfy(ack -> assertThat(ack).isCompleted());
        assertThat(count(stoppable.database(), "SELECT count(*) FROM reading")).isEqualTo(4);
    }

    @Test
    void readingsFailAsUnavailableAfterTheirTimeoutAndAreNeverStoredLater() {
        BatchWriter writer = startWriter(Duration.ofSeconds(1));
        assertThat(writer.submit(Readings.of(1))).succeedsWithin(Duration.ofSeconds(30));

        stoppable.stopServer();
        List<CompletableFuture<Void>> acks = List.of(writer.submit(Readings.of(1)), writer.submit(Readings.of(1)));
        await().atMost(Duration.ofSeconds(60)).until(() -> acks.stream().allMatch(CompletableFuture::isDone));
        assertThat(acks).allSatisfy(ack -> assertThat(ack).failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(StorageUnavailableException.class));

        stoppable.startServer();
        assertThat(writer.submit(Readings.of(1))).succeedsWithin(Duration.ofSeconds(60));
        assertThat(count(stoppable.database(), "SELECT count(*) FROM reading")).isEqualTo(2);
        assertThat(registry.get("locomov.readings.failed").tag("reason", "unavailable").counter().count()).isEqualTo(2);
    }
}
