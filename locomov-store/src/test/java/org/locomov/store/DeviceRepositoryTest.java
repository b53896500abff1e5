package org.locomov.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.locomov.store.testing.TestDatabase.count;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locomov.store.testing.TestDatabase;

class DeviceRepositoryTest {

    private static Database database;
    private static DeviceRepository devices;

    @BeforeAll
    static void open() {
        database = TestDatabase.fresh();
        devices = new DeviceRepository(database.dataSource());
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void addedDevicesAreFoundAndListedById() {
        Device added = devices.add(30, "meter-30");
        devices.add(10, null);

        assertThat(added.pubId()).isEqualTo(30);
        assertThat(added.name()).isEqualTo("meter-30");
        assertThat(added.createdAt()).isNotNull();
        assertThat(added.lastSeenAt()).isNull();
        assertThat(added.hash()).isNull();
        assertThat(added.revoked()).isFalse();
        assertThat(devices.find(30)).contains(added);
        assertThat(devices.find(31)).isEmpty();
        assertThat(devices.list()).extracting(Device::pubId).containsSubsequence(10L, 30L);
    }

    @Test
    void addingAnExistingIdIsRefusedAndChangesNothing() {
        devices.add(40, "first");

        assertThatThrownBy(() -> devices.add(40, "second"))
                .isInstanceOf(DeviceAlreadyExistsException.class)
                .hasMessage("device 40 already exists");
        assertThat(devices.find(40)).hasValueSatisfying(device -> assertThat(device.name()).isEqualTo("first"));
        assertThat(count(database, "SELECT count(*) FROM pub WHERE pub_id = 40")).isEqualTo(1);
    }

    @Test
    void aTooLongNameIsRefused() {
        assertThatThrownBy(() -> devices.add(50, "x".repeat(DeviceRepository.MAX_NAME_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--name");
        assertThat(devices.find(50)).isEmpty();
    }
}
