package org.locomov.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locomov.store.TlsMaterialRepository.RenewalLock;
import org.locomov.store.testing.TestDatabase;

class TlsMaterialRepositoryTest {

    private static Database database;
    private static TlsMaterialRepository repository;

    @BeforeAll
    static void open() {
        database = TestDatabase.fresh();
        repository = new TlsMaterialRepository(database.dataSource());
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void savedMaterialIsFoundAndASecondSaveReplacesIt() {
        Instant notAfter = Instant.parse("2030-01-01T00:00:00Z");
        repository.save(new TlsMaterial("certificate RSA a", "-----BEGIN CERTIFICATE-----", null,
                new byte[40], "k1", notAfter, null, "node-1"));
        repository.save(new TlsMaterial("certificate RSA a", "second chain", null,
                new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29},
                "k2", notAfter.plusSeconds(60), null, "node-2"));

        TlsMaterial found = repository.find("certificate RSA a").orElseThrow();
        assertThat(found.chainPem()).isEqualTo("second chain");
        assertThat(found.sealedKey()).hasSize(29).startsWith(1, 2, 3);
        assertThat(found.masterKeyId()).isEqualTo("k2");
        assertThat(found.notAfter()).isEqualTo(notAfter.plusSeconds(60));
        assertThat(found.updatedBy()).isEqualTo("node-2");
        assertThat(found.updatedAt()).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(1, ChronoUnit.HOURS));
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM tls_material WHERE name = ?", "certificate RSA a"))
                .isEqualTo(1);
    }

    @Test
    void prefixSearchTreatsLikeWildcardsAsPlainCharacters() {
        repository.save(new TlsMaterial("acme-account x_1", null, "https://ca/acct/1", new byte[30], "k", null, null, "n"));
        repository.save(new TlsMaterial("acme-account xy1", null, "https://ca/acct/2", new byte[30], "k", null, null, "n"));

        assertThat(repository.findByPrefix("acme-account x_")).extracting(TlsMaterial::accountUrl)
                .containsExactly("https://ca/acct/1");
        assertThat(repository.find("nothing")).isEmpty();
    }

    @Test
    void renewalStateIsKeptPerName() {
        Instant attempt = Instant.parse("2026-05-01T10:00:00Z");
        repository.saveRenewal(new TlsRenewalRecord("certificate EC b", attempt, null, 2, "CA unreachable",
                attempt.plusSeconds(600), "node-1"));

        TlsRenewalRecord record = repository.renewal("certificate EC b").orElseThrow();
        assertThat(record.failuresInRow()).isEqualTo(2);
        assertThat(record.lastError()).isEqualTo("CA unreachable");
        assertThat(record.nextAttemptAt()).isEqualTo(attempt.plusSeconds(600));
        assertThat(record.lastSuccessAt()).isNull();
        assertThat(repository.renewal("certificate EC other")).isEmpty();
    }

    @Test
    void onlyOneHolderOfTheRenewalLockUntilItIsReleased() {
        Optional<RenewalLock> first = repository.tryLock("renew test");
        assertThat(first).isPresent();

        assertThat(repository.tryLock("renew test")).isEmpty();
        try (RenewalLock other = repository.tryLock("renew other").orElseThrow()) {
            assertThat(other).isNotNull();
        }

        first.get().close();
        try (RenewalLock again = repository.tryLock("renew test").orElseThrow()) {
            assertThat(again).isNotNull();
        }
    }
}
