package org.locomov.mov;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.locomov.store.Database;
import org.locomov.store.testing.TestDatabase;

/**
 * A client that sends many packets in one write without waiting (decision 1500): real TLS on loopback,
 * real PostgreSQL. Every packet gets its own reply, in the order sent, whatever order they commit in.
 */
class MovPipeliningTest {

    private static final int PACKETS = 200;

    private Database database;
    private ListenerUnderTest listener;

    @BeforeEach
    void start() {
        database = TestDatabase.fresh();
        TestDatabase.addDevice(database, 23);
        listener = new ListenerUnderTest(database, ListenerUnderTest.testSettings().withMaxInFlight(16));
    }

    @AfterEach
    void stop() {
        listener.close();
        database.close();
    }

    @Test
    void packetsSentInOneWriteAreAllStoredAndEachAcknowledged() {
        StringBuilder packets = new StringBuilder();
        for (int i = 0; i < PACKETS; i++) {
            packets.append("{\"id\":23,\"voltage\":").append(i).append("}\n");
        }
        try (DeviceConnection device = listener.connect()) {
            device.send(packets.toString());
            for (int i = 0; i < PACKETS; i++) {
                assertThat(device.readLine()).as("reply %d", i).isEqualTo("Thank you.\n");
            }
        }
        assertThat(listener.packets()).isEqualTo(PACKETS);
        assertThat(TestDatabase.count(database, "SELECT count(DISTINCT voltage) FROM reading WHERE pub_id = 23"))
                .isEqualTo(PACKETS);
        assertThat(listener.counter("locomov.readings.acknowledged", "transport", "mov")).isEqualTo(PACKETS);
    }

    @Test
    void clientsKeepingTheirWindowFullGetEveryAck() throws Exception {
        // As the bench's pipelining devices do: 16 packets out, then one more for each ack, on several connections.
        int connections = 8;
        int perConnection = 300;
        List<java.util.concurrent.CompletableFuture<Integer>> clients = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            clients.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                int acks = 0;
                try (DeviceConnection device = listener.connect()) {
                    int sent = 0;
                    for (; sent < 16; sent++) {
                        device.send("{\"id\":23,\"voltage\":" + sent + "}");
                    }
                    while (acks < perConnection) {
                        assertThat(device.readLine()).isEqualTo("Thank you.\n");
                        acks++;
                        if (sent < perConnection) {
                            device.send("{\"id\":23,\"voltage\":" + sent++ + "}");
                        }
                    }
                }
                return acks;
            }));
        }
        for (var client : clients) {
            assertThat(client.get()).isEqualTo(perConnection);
        }
        assertThat(listener.packets()).isEqualTo((long) connections * perConnection);
    }

    @Test
    void refusalsInTheMiddleAreAnsweredInTheirPlace() {
        // Refused by the decoder, by the device check (an unknown id is looked up on another thread and answers
        // later than its neighbours), and by PostgreSQL (jsonb cannot hold \u0000) in the batch of its neighbours.
        List<String> sent = List.of(
                "{\"id\":23,\"voltage\":1}",
                "{\"id\":23,\"voltage\":\"two\"}",
                "{\"id\":23,\"voltage\":3}",
                "{\"id\":42,\"voltage\":4}",
                "{\"id\":23,\"voltage\":5}",
                "{\"id\":23,\"note\":\"\\u0000\",\"voltage\":6}",
                "{\"id\":23,\"voltage\":7}");
        List<String> replies = new ArrayList<>();
        try (DeviceConnection device = listener.connect()) {
            device.send(String.join("\n", sent) + "\n");
            for (int i = 0; i < sent.size(); i++) {
                replies.add(device.readLine());
            }
            assertThat(device.send("{\"id\":23,\"voltage\":8}").readLine()).isEqualTo("Thank you.\n");
        }
        assertThat(replies).containsExactly(
                "Thank you.\n",
                "Error: field 'voltage' must be a number\n",
                "Thank you.\n",
                "Error: unknown device 42\n",
                "Thank you.\n",
                "Error: invalid extra fields\n",
                "Thank you.\n");
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM reading WHERE voltage IN (1, 3, 5, 7, 8)"))
                .isEqualTo(5);
        assertThat(listener.packets()).isEqualTo(5);
    }

    @Test
    void refusalThatClosesAnswersThePacketsBeforeItThenCloses() {
        try (DeviceConnection device = listener.connect()) {
            device.send("{\"id\":23,\"voltage\":1}\n{\"id\":23,\"voltage\":2}\n{\"id\":23,,}\n{\"id\":23,\"voltage\":4}\n");

            assertThat(device.readLine()).isEqualTo("Thank you.\n");
            assertThat(device.readLine()).isEqualTo("Thank you.\n");
            assertThat(device.readLine()).startsWith("Error: malformed JSON");
            assertThat(device.isClosedByServer()).isTrue();
        }
        assertThat(TestDatabase.count(database, "SELECT count(*) FROM reading WHERE voltage IN (1, 2)")).isEqualTo(2);
        assertThat(listener.packets()).isEqualTo(2);
        assertThat(listener.refused("malformed")).isEqualTo(1.0);
    }
}
