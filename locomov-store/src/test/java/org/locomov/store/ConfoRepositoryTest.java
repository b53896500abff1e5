package org.locomov.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.locomov.store.testing.TestDatabase.count;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.locomov.core.ConfoPost;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locomov.store.testing.TestDatabase;

/**
 * What the decision does to the rows is checked branch by branch over real TLS in locomov-mov's
 * ConfoListenerTest; here: races between confirmations, new device ids, and the app's query.
 */
class ConfoRepositoryTest {

    private static final long HASH = 7311424511233851041L;

    private Database database;
    private ConfoRepository confos;

    @BeforeEach
    void open() {
        database = TestDatabase.fresh();
        confos = new ConfoRepository(database.dataSource());
    }

    @AfterEach
    void close() {
        database.close();
    }

    private static ConfoPost post(String name, String ssid, long hash, String email) {
        return new ConfoPost(name, ssid, hash, email, Instant.ofEpochSecond(1558137600));
    }

    @Test
    void concurrentConfirmationsOfOneNewHashCreateOneDeviceAndAreAllSaved() throws Exception {
        new UserRepository(database.dataSource()).add("owner@example.org", false).orElseThrow();
        int posts = 8;
        List<Future<ConfoResult>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(posts)) {
            for (int i = 0; i < posts; i++) {
                results.add(threads.submit(() -> confos.apply(post("pump", "farmnet", HASH, "owner@example.org"))));
            }
        }
        List<ConfoDecision> decisions = new ArrayList<>();
        for (Future<ConfoResult> result : results) {
            decisions.add(result.get().decision());
        }

        assertThat(decisions).containsOnlyOnce(ConfoDecision.CREATE_OWNED_DEVICE)
                .filteredOn(d -> d != ConfoDecision.CREATE_OWNED_DEVICE).containsOnly(ConfoDecision.OWN_DEVICE);
        assertThat(count(database, "SELECT count(*) FROM pub WHERE hash = ?", HASH)).isEqualTo(1);
        assertThat(count(database, "SELECT count(*) FROM confo WHERE hash = ?", HASH)).isEqualTo(posts);
    }

    @Test
    void aNewDeviceTakesTheIdAfterTheHighestInUse() {
        TestDatabase.addDevice(database, 41);

        ConfoResult result = confos.apply(post("pump", "farmnet", HASH, "nobody@example.org"));

        assertThat(result.pubId()).isEqualTo(42);
        assertThat(count(database, "SELECT count(*) FROM pub WHERE pub_id = 42 AND hash = ? AND creator IS NULL", HASH))
                .isEqualTo(1);
    }

    @Test
    void appGetsTheHashOfTheNewestConfirmationOfThatNameAndSsid() {
        confos.apply(post("pump", "farmnet", 1, "a@example.org"));
        confos.apply(post("pump", "farmnet", 2, "a@example.org"));
        confos.apply(post("pump", "othernet", 3, "a@example.org"));

        assertThat(confos.newestHash("pump", "farmnet", Duration.ofMinutes(15))).contains(2L);
        assertThat(confos.newestHash("pump", "othernet", Duration.ofMinutes(15))).contains(3L);
        assertThat(confos.newestHash("Pump", "farmnet", Duration.ofMinutes(15))).isEmpty();
    }

    @Test
    void appIsNotAnsweredFromConfirmationsOlderThanTheMaxAge() {
        confos.apply(post("pump", "farmnet", HASH, "a@example.org"));
        TestDatabase.execute(database, "UPDATE confo SET received_at = now() - interval '16 minutes'");

        assertThat(confos.newestHash("pump", "farmnet", Duration.ofMinutes(15))).isEmpty();
        assertThat(confos.newestHash("pump", "farmnet", Duration.ofMinutes(17))).contains(HASH);
    }

    @Test
    void conflictingConfirmationAnswersNothing() {
        UserRepository users = new UserRepository(database.dataSource());
        users.add("ann@example.org", false).orElseThrow();
        users.add("bob@example.org", false).orElseThrow();
        confos.apply(post("pump", "farmnet", HASH, "ann@example.org"));

        ConfoResult conflict = confos.apply(post("renamed", "othernet", HASH, "bob@example.org"));

        assertThat(conflict.decision()).isEqualTo(ConfoDecision.ANOTHER_USERS_DEVICE);
        assertThat(confos.newestHash("renamed", "othernet", Duration.ofMinutes(15))).isEmpty();
    }
}
