package org.locomov.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locomov.core.event.UserEvent;
import org.locomov.core.session.DeviceDescription;
import org.locomov.store.DeviceAdmin.Scope;
import org.locomov.store.ParticleCloudDevices.ClaimOutcome;
import org.locomov.store.testing.TestDatabase;

class ParticleCloudDevicesTest {

    private static final String CORE = "53ff6f065067544840311387";
    private static final String OTHER = "0123456789abcdef01234567";

    private Database database;
    private ParticleCloudDevices devices;
    private long ann;
    private long bob;

    @BeforeEach
    void open() {
        database = TestDatabase.fresh();
        UserRepository users = new UserRepository(database.dataSource());
        ann = users.add("ann@example.com", false).orElseThrow().id();
        bob = users.add("bob@example.com", false).orElseThrow().id();
        devices = new ParticleCloudDevices(database.dataSource());
        particleDevice(7, CORE, "kitchen");
        particleDevice(8, OTHER, "garage");
        TestDatabase.addDevice(database, 9);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private void particleDevice(long id, String particleId, String name) {
        TestDatabase.execute(database, "INSERT INTO pub (pub_id, name) VALUES (?, ?)", id, name);
        TestDatabase.execute(database, "INSERT INTO particle_device (particle_id, pub_id, public_key) VALUES (?, ?, ?)",
                particleId, id, new byte[162]);
    }

    @Test
    void claimGivesAnUnownedDeviceItsOwnerOnce() {
        assertThat(devices.claim(CORE.toUpperCase(), ann)).isEqualTo(ClaimOutcome.CLAIMED);
        assertThat(devices.claim(CORE, ann)).isEqualTo(ClaimOutcome.ALREADY_YOURS);
        assertThat(devices.claim(CORE, bob)).isEqualTo(ClaimOutcome.OWNED_BY_ANOTHER);
        assertThat(devices.claim("ffffffffffffffffffffffff", bob)).isEqualTo(ClaimOutcome.UNKNOWN);
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM pub WHERE pub_id = 7 AND creator = ?", ann)).isEqualTo(1);
    }

    @Test
    void listAndFindSeeOnlyTheCallersParticleDevicesByIdOrName() {
        devices.claim(CORE, ann);
        devices.claim(OTHER, bob);

        assertThat(devices.list(Scope.ownedBy(ann))).extracting(ParticleCloudDevices.View::particleId).containsExactly(CORE);
        assertThat(devices.list(Scope.all())).hasSize(2);
        assertThat(devices.find("kitchen", Scope.ownedBy(ann))).hasValueSatisfying(v -> assertThat(v.deviceId()).isEqualTo(7));
        assertThat(devices.find(CORE.toUpperCase(), Scope.ownedBy(ann))).isPresent();
        assertThat(devices.find("garage", Scope.ownedBy(ann))).isEmpty();
        assertThat(devices.find(OTHER, Scope.ownedBy(ann))).isEmpty();
    }

    @Test
    void releaseClearsOnlyTheOwnerAndOnlyForTheOwner() {
        devices.claim(CORE, ann);

        assertThat(devices.release(7, Scope.ownedBy(bob))).isFalse();
        assertThat(devices.release(7, Scope.ownedBy(ann))).isTrue();
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM pub WHERE pub_id = 7 AND creator IS NULL")).isEqualTo(1);
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM particle_device WHERE pub_id = 7")).isEqualTo(1);
    }

    @Test
    void aDescriptionIsKeptPerDeviceAndReplacedByTheNext() {
        PgDeviceDescriptions descriptions = new PgDeviceDescriptions(database.dataSource(), Runnable::run);
        assertThat(descriptions.findNow(7)).isEmpty();

        descriptions.publishNow(7, new DeviceDescription(List.of("led", "add"), Map.of("temp", DeviceDescription.DOUBLE)));
        descriptions.publishNow(7, new DeviceDescription(List.of("led"),
                Map.of("temp", DeviceDescription.INT32, "label", DeviceDescription.STRING)));

        DeviceDescription described = descriptions.findNow(7).orElseThrow();
        assertThat(described.functions()).containsExactly("led");
        assertThat(described.variables()).containsExactlyInAnyOrderEntriesOf(
                Map.of("temp", DeviceDescription.INT32, "label", DeviceDescription.STRING));
        descriptions.publishNow(12345, DeviceDescription.NOTHING);
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM device_description")).isEqualTo(1);
    }

    @Test
    void aUserEventAnnouncementReadsBackAsTheEvent() {
        UserEvent event = new UserEvent(ann, "door/open", "tab\there", java.time.Instant.ofEpochMilli(1_700_000_000_123L), true);
        String payload = ann + "\t1\t1700000000123\tdoor/open\ttab\there";

        assertThat(PgUserEvents.parse(payload)).isEqualTo(event);
        assertThat(PgUserEvents.parse("garbage")).isNull();
    }
}
