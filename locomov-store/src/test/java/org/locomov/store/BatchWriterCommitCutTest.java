package org.locomov.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.locomov.store.testing.TestDatabase.addDevice;
import static org.locomov.store.testing.TestDatabase.count;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locomov.core.IngestSettings;
import org.locomov.core.Reading;
import org.locomov.core.Transport;
import org.locomov.store.CommitCutProxy.Cut;
import org.locomov.store.testing.TestDatabase;

/**
 * Exactly-once storage when the connection breaks during COMMIT (issue 12): a real TCP proxy between the
 * batch writer and PostgreSQL cuts connections at their COMMIT; every acknowledged reading is stored once.
 */
class BatchWriterCommitCutTest {

    private static final int READINGS = 30;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Database direct;
    private CommitCutProxy proxy;
    private Database throughProxy;
    private BatchWriter writer;

    @BeforeEach
    void start() throws Exception {
        direct = TestDatabase.fresh();
        addDevice(direct, 1);
        int port = Integer.parseInt(direct.jdbcUrl().replaceAll(".*:(\\d+)/.*", "$1"));
        proxy = new CommitCutProxy(port);
        String url = direct.jdbcUrl().replace(":" + port + "/", ":" + proxy.port() + "/");
        throughProxy = Database.open(StoreSettings.external(url, direct.user(), direct.password(),
                java.nio.file.Files.createTempDirectory("locomov-cut-")).withPoolSize(2), new SimpleMeterRegistry());
        writer = new BatchWriter(throughProxy.dataSource(), new IngestSettings(1000, 5, Duration.ofMinutes(2)), registry);
        writer.start();
    }

    @AfterEach
    void stop() throws Exception {
        writer.close();
        throughProxy.close();
        proxy.close();
        direct.close();
    }

    /** Readings told apart by their voltage, so a reading stored twice shows. */
    private List<CompletableFuture<Void>> submitReadings() {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = 0; i < READINGS; i++) {
            acks.add(writer.submit(new Reading(1, null, Readings.RECEIVED, true, 200.0 + i, 50.0, null, null, null,
                    Transport.MOV)));
        }
        return acks;
    }

    private void assertEachReadingStoredOnce(List<CompletableFuture<Void>> acks) {
        await().atMost(Duration.ofSeconds(90)).until(() -> acks.stream().allMatch(CompletableFuture::isDone));
        assertThat(acks).allSatisfy(ack -> assertThat(ack).isCompleted());
        assertThat(count(direct, "SELECT count(*) FROM packet")).isEqualTo(READINGS);
        assertThat(count(direct, "SELECT count(DISTINCT voltage) FROM packet")).isEqualTo(READINGS);
    }

    @Test
    void aBatchThatCommittedBeforeItsConnectionBrokeIsAcknowledgedAndNotWrittenAgain() {
        proxy.arm(Cut.AFTER_COMMIT, 3);

        List<CompletableFuture<Void>> acks = submitReadings();

        assertEachReadingStoredOnce(acks);
        assertThat(proxy.cutsMade()).isEqualTo(3);
        assertEveryBatchInDoubtSettledAs("committed");
    }

    @Test
    void aBatchWhoseCommitNeverArrivedIsWrittenAgainOnce() {
        proxy.arm(Cut.INSTEAD_OF_COMMIT, 3);

        List<CompletableFuture<Void>> acks = submitReadings();

        assertEachReadingStoredOnce(acks);
        assertThat(proxy.cutsMade()).isEqualTo(3);
        assertEveryBatchInDoubtSettledAs("not_committed");
    }

    /**
     * Every batch whose COMMIT was cut was settled with {@code outcome}. Not every cut hits a batch's COMMIT:
     * settling may itself commit (ending the old session), and the proxy cuts whichever COMMIT comes next.
     */
    private void assertEveryBatchInDoubtSettledAs(String outcome) {
        double inDoubt = registry.get("locomov.batch.commits.in.doubt").counter().count();
        assertThat(inDoubt).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("locomov.batch.commits.settled").tag("outcome", outcome).counter().count())
                .isEqualTo(inDoubt);
    }
}
