package org.locomov.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.locomov.store.testing.TestDatabase.count;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locomov.store.DeviceAdmin.Claim;
import org.locomov.store.DeviceAdmin.DeviceView;
import org.locomov.store.DeviceAdmin.Scope;
import org.locomov.store.testing.TestDatabase;

class DeviceAdminTest {

    private static Database database;
    private static DeviceAdmin devices;
    private static long ann;
    private static long ben;

    @BeforeAll
    static void open() {
        database = TestDatabase.fresh();
        devices = new DeviceAdmin(database.dataSource());
        UserRepository users = new UserRepository(database.dataSource());
        ann = users.add("ann@example.com", false).orElseThrow().id();
        ben = users.add("ben@example.com", false).orElseThrow().id();
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void scopeLimitsWhatAUserSeesAndChanges() {
        devices.create(10, "ann's", ann);
        devices.create(11, "ben's", ben);

        assertThat(devices.list(Scope.ownedBy(ann), Long.MIN_VALUE, 100)).extracting(DeviceView::id).contains(10L).doesNotContain(11L);
        assertThat(devices.find(11, Scope.ownedBy(ann))).isEmpty();
        assertThat(devices.rename(11, "taken", Scope.ownedBy(ann))).isEmpty();
        assertThat(devices.delete(11, Scope.ownedBy(ann))).isFalse();
        assertThat(devices.find(11, Scope.all())).hasValueSatisfying(device -> assertThat(device.name()).isEqualTo("ben's"));
    }

    @Test
    void listPagesByIdAfterAGivenOne() {
        for (long id = 20; id < 25; id++) {
            devices.create(id, null, ben);
        }

        List<DeviceView> page = devices.list(Scope.ownedBy(ben), 21, 2);

        assertThat(page).extracting(DeviceView::id).containsExactly(22L, 23L);
    }

    @Test
    void newestReadingIsShownWithTheDevice() {
        devices.create(30, null, ann);
        TestDatabase.execute(database, """
                INSERT INTO reading (pub_id, created_at, voltage, transport) VALUES
                (30, '2026-01-01T00:00:00Z', 1, 'mov'), (30, '2026-01-02T00:00:00Z', 2, 'mov'), (30, '2025-12-31T00:00:00Z', 3, 'mov')""");

        DeviceView device = devices.find(30, Scope.all()).orElseThrow();

        assertThat(device.lastReading().voltage()).isEqualTo(2.0);
        assertThat(device.lastReading().clockSkew()).isNegative();
        assertThat(device.creatorEmail()).isEqualTo("ann@example.com");
    }

    @Test
    void claimOutcomes() {
        TestDatabase.execute(database, "INSERT INTO pub (pub_id, hash) VALUES (40, 4040)");
        TestDatabase.execute(database, "INSERT INTO pub (pub_id, hash, creator) VALUES (41, 4141, ?)", ben);

        assertThat(devices.claim(4040, ann)).isEqualTo(new Claim(Claim.Outcome.CLAIMED, 40L));
        assertThat(devices.claim(4040, ann)).isEqualTo(new Claim(Claim.Outcome.ALREADY_YOURS, 40L));
        assertThat(devices.claim(4040, ben)).isEqualTo(new Claim(Claim.Outcome.OWNED_BY_ANOTHER, 40L));
        assertThat(devices.claim(4141, ann)).isEqualTo(new Claim(Claim.Outcome.OWNED_BY_ANOTHER, 41L));
        assertThat(devices.claim(9999, ann)).isEqualTo(new Claim(Claim.Outcome.UNKNOWN_HASH, null));
        assertThat(count(database, "SELECT count(*) FROM pub WHERE pub_id = 40 AND creator = ?", ann)).isEqualTo(1);
    }

    @Test
    void deleteTakesTheReadingsWithIt() {
        devices.create(50, null, ann);
        TestDatabase.execute(database, "INSERT INTO reading (pub_id, created_at, transport) VALUES (50, now(), 'mov')");

        assertThat(devices.delete(50, Scope.ownedBy(ann))).isTrue();

        assertThat(count(database, "SELECT count(*) FROM reading WHERE pub_id = 50")).isZero();
    }

    @Test
    void creatorsAreLookedUpForABatchOfDevices() {
        devices.create(60, null, ann);
        devices.create(61, null, ben);
        TestDatabase.execute(database, "INSERT INTO pub (pub_id) VALUES (62)");

        assertThat(devices.creatorsOf(List.of(60L, 61L, 62L, 63L))).containsOnlyKeys(60L, 61L).containsEntry(60L, ann);
    }
}
