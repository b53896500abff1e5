package org.locomov.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locomov.store.testing.TestDatabase;

class ApiBootstrapTest {

    private static ApiFixture api;

    @BeforeAll
    static void start() {
        api = ApiFixture.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void firstStartCreatesOneAdminWhoseTokenWorksAndLaterStartsCreateNone() {
        ApiBootstrap bootstrap = new ApiBootstrap(api.database.dataSource());

        Optional<ApiBootstrap.FirstAdmin> first = bootstrap.ensureAdmin();
        Optional<ApiBootstrap.FirstAdmin> second = bootstrap.ensureAdmin();

        assertThat(first).isPresent();
        assertThat(second).isEmpty();
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM sub WHERE email = 'admin@localhost' AND admin")).isEqualTo(1);
        assertThat(TestDatabase.count(api.database, "SELECT count(*) FROM sub")).isEqualTo(1);
        var me = api.json(api.get("/api/v1/users/me", first.orElseThrow().secret()));
        assertThat(me.path("email").asText()).isEqualTo("admin@localhost");
        assertThat(me.path("admin").asBoolean()).isTrue();
        assertThat(first.orElseThrow().toString()).doesNotContain(first.orElseThrow().secret());
    }
}
