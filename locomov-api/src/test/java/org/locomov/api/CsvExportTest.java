package org.locomov.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locomov.store.testing.TestDatabase;

/**
 * The CSV export of a large range is streamed, not built in memory. How this is shown: the range is
 * 100,000 readings of about 300 bytes each (some 30 MB of CSV, several times what the socket buffers
 * between server and client can hold). The client reads the header and the first row and then stops
 * reading. If the server had loaded the range (or rendered the CSV) before sending, its database query
 * would be finished by then; instead PostgreSQL still holds the server's open cursor, waiting in the
 * middle of the range for the server to ask for the next rows. Then the client reads on and counts
 * every row.
 */
class CsvExportTest {

    private static final int READINGS = 100_000;
    private static final String SERVER_CURSOR_OPEN = """
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND state = 'idle in transaction'
              AND query LIKE 'SELECT id, pub_id, created_at%'""";

    private static ApiFixture api;
    private static String alice;

    @BeforeAll
    static void start() {
        api = ApiFixture.start();
        alice = api.userWithToken("alice@example.com", false);
        api.addDevice(7, "alice@example.com");
        TestDatabase.execute(api.database, """
                INSERT INTO reading (pub_id, created_at, voltage, frequency, protected, lat, lng, extra, transport)
                SELECT 7, TIMESTAMPTZ '2026-01-01 00:00:00Z' + g * interval '1 second', 230 + g % 10, 50.0, true, 52.1, 4.3,
                       jsonb_build_object('note', repeat('x', 200), 'n', g), 'mov'
                FROM generate_series(1, ?) AS g""", READINGS);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void csvOfHundredThousandReadingsIsStreamedWhileTheDatabaseCursorIsStillOpen() throws Exception {
        HttpResponse<InputStream> response = api.http.send(api.request("/api/v1/devices/7/readings?order=asc", alice)
                .header("Accept", "text/csv").GET().build(), HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
        assertThat(response.headers().firstValue("Content-Length")).isEmpty();
        try (BufferedReader csv = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertThat(csv.readLine()).isEqualTo("id,device_id,created_at,saved_at,voltage,frequency,protected,lat,lng,transport,extra");
            String first = csv.readLine();
            assertThat(first).contains(",7,2026-01-01T00:00:01Z,").contains("\"{\"\"n\"\": 1, \"\"note\"\": \"\"xxx");

            await().atMost(Duration.ofSeconds(30)).until(() -> TestDatabase.count(api.database, SERVER_CURSOR_OPEN) == 1);

            long rows = 1;
            String last = first;
            for (String line = csv.readLine(); line != null; line = csv.readLine()) {
                rows++;
                last = line;
            }
            assertThat(rows).isEqualTo(READINGS);
            assertThat(last).contains(",7,2026-01-02T03:46:40Z,");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> TestDatabase.count(api.database, SERVER_CURSOR_OPEN) == 0);
    }

    @Test
    void clientLeavingMidExportEndsTheServersCursor() throws Exception {
        HttpResponse<InputStream> response = api.http.send(api.request("/api/v1/devices/7/readings", alice)
                .header("Accept", "text/csv").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader csv = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertThat(csv.readLine()).startsWith("id,");
            await().atMost(Duration.ofSeconds(30)).until(() -> TestDatabase.count(api.database, SERVER_CURSOR_OPEN) == 1);
        }

        // Closing the body drops the connection; the server's next write fails and it rolls back.
        await().atMost(Duration.ofSeconds(60)).until(() -> TestDatabase.count(api.database, SERVER_CURSOR_OPEN) == 0);
        assertThat(api.get("/api/v1/devices/7/readings?limit=1", alice).statusCode()).isEqualTo(200);
    }

    @Test
    void csvOfAnotherUsersDeviceIsNotFound() {
        String bob = api.userWithToken("bob@example.com", false);

        var response = api.send(api.request("/api/v1/devices/7/readings", bob).header("Accept", "text/csv").GET().build());

        assertThat(response.statusCode()).isEqualTo(404);
    }
}
