package org.locomov.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.locomov.store.testing.TestDatabase.count;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locomov.core.DeviceStatus;
import org.locomov.core.StorageUnavailableException;
import org.locomov.store.testing.TestDatabase;
import org.postgresql.ds.PGSimpleDataSource;

class PgDeviceDirectoryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Database database;

    @BeforeAll
    static void open() {
        database = TestDatabase.fresh();
        TestDatabase.addDevice(database, 1);
        TestDatabase.addDevice(database, 2);
        TestDatabase.execute(database, "UPDATE pub SET revoked_at = now() WHERE pub_id = 2");
    }

    @AfterAll
    static void close() {
        database.close();
    }

    private static PgDeviceDirectory directory(boolean autoRegister) {
        return new PgDeviceDirectory(database.dataSource(), autoRegister, new SimpleMeterRegistry());
    }

    @Test
    void aKnownDeviceIsAnsweredFromTheCacheAfterItsFirstLookup() {
        try (PgDeviceDirectory directory = directory(false)) {
            assertThat(directory.check(1)).succeedsWithin(WAIT).isEqualTo(DeviceStatus.KNOWN);

            CompletableFuture<DeviceStatus> cached = directory.check(1);
            assertThat(cached).isCompletedWithValue(DeviceStatus.KNOWN);
            assertThat(directory.check(1)).isSameAs(cached);
        }
    }

    @Test
    void aDeviceRevokedElsewhereIsRefusedOnceItsCachedAnswerExpires() {
        TestDatabase.addDevice(database, 30);
        try (PgDeviceDirectory directory = new PgDeviceDirectory(database.dataSource(), false, new SimpleMeterRegistry(),
                Duration.ofMillis(200))) {
            assertThat(directory.check(30)).succeedsWithin(WAIT).isEqualTo(DeviceStatus.KNOWN);

            TestDatabase.execute(database, "UPDATE pub SET revoked_at = now() WHERE pub_id = 30");

            await().atMost(WAIT)
                    .until(() -> directory.check(30).get() == DeviceStatus.REVOKED);
        }
    }

    @Test
    void anUnknownDeviceIsUnknownAndNotRegistered() {
        try (PgDeviceDirectory directory = directory(false)) {
            assertThat(directory.check(404)).succeedsWithin(WAIT).isEqualTo(DeviceStatus.UNKNOWN);
            assertThat(count(database, "SELECT count(*) FROM pub WHERE pub_id = 404")).isZero();
        }
    }

    @Test
    void aRevokedDeviceIsRevoked() {
        try (PgDeviceDirectory directory = directory(false)) {
            assertThat(directory.check(2)).succeedsWithin(WAIT).isEqualTo(DeviceStatus.REVOKED);
        }
    }

    @Test
    void autoRegistrationRegistersAnUnknownDeviceAsKnown() {
        try (PgDeviceDirectory directory = directory(true)) {
            assertThat(directory.check(500)).succeedsWithin(WAIT).isEqualTo(DeviceStatus.KNOWN);
            assertThat(count(database, "SELECT count(*) FROM pub WHERE pub_id = 500")).isEqualTo(1);
            assertThat(directory.check(500)).isCompletedWithValue(DeviceStatus.KNOWN);
            assertThat(directory.check(2)).succeedsWithin(WAIT).isEqualTo(DeviceStatus.REVOKED);
        }
    }

    @Test
    void aForgottenDeviceIsReadAgainAndSeenRevoked() {
        TestDatabase.addDevice(database, 3);
        try (PgDeviceDirectory directory = directory(false)) {
            assertThat(directory.check(3)).succeedsWithin(WAIT).isEqualTo(DeviceStatus.KNOWN);
            TestDatabase.execute(database, "UPDATE pub SET revoked_at = now() WHERE pub_id = 3");
            assertThat(directory.check(3)).isCompletedWithValue(DeviceStatus.KNOWN);

            directory.forget(3);

            assertThat(directory.check(3)).succeedsWithin(WAIT).isEqualTo(DeviceStatus.REVOKED);
        }
    }

    @Test
    void aLookupWithTheDatabaseAwayFailsAsStorageUnavailable() {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setURL("jdbc:postgresql://127.0.0.1:1/locomov");
        try (PgDeviceDirectory directory = new PgDeviceDirectory(nowhere, false, new SimpleMeterRegistry())) {
            assertThat(directory.check(1)).failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(StorageUnavailableException.class);
        }
    }
}
