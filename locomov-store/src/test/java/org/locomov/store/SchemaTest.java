package org.locomov.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.locomov.store.testing.TestDatabase.count;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locomov.store.testing.TestDatabase;

class SchemaTest {

    private static Database database;

    @BeforeAll
    static void open() {
        database = TestDatabase.fresh();
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void migrationCreatesEveryTableOfTheDesign() {
        for (String table : new String[] {"sub", "csub", "pub", "packet", "packet_default", "confo", "cconfo"}) {
            assertThat(count(database, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = ?", table))
                    .as(table).isEqualTo(1);
        }
    }

    @Test
    void packetIsPartitionedBySavedAt() {
        assertThat(count(database, "SELECT count(*) FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
                + "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.partattrs[0] "
                + "WHERE c.relname = 'packet' AND p.partstrat = 'r' AND a.attname = 'saved_at'")).isEqualTo(1);
    }

    @Test
    void readingsOfOneDeviceOverATimeRangeUseTheIndex() {
        assertThat(count(database, "SELECT count(*) FROM pg_indexes WHERE tablename = 'packet' "
                + "AND indexdef LIKE '%(pub_id, created_at)%'")).isEqualTo(1);
        assertThat(count(database, "SELECT count(*) FROM pg_indexes WHERE tablename = 'packet'"))
                .as("one index, no primary key (migration V8)").isEqualTo(1);
    }

    @Test
    void emailsAreUniqueWhateverTheirCase() {
        TestDatabase.execute(database, "INSERT INTO sub (email) VALUES (?)", "Ann@example.org");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> TestDatabase.execute(database, "INSERT INTO sub (email) VALUES (?)", "ann@EXAMPLE.org"))
                .hasMessageContaining("sub_email_key");
        assertThat(count(database, "SELECT count(*) FROM sub")).isEqualTo(1);
    }
}
