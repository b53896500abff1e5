package org.locomov.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.locomov.core.Reading;
import org.locomov.core.Transport;
import org.locomov.store.Database;
import org.locomov.store.PacketRows;
import org.locomov.store.StoreSettings;
import org.postgresql.PGConnection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The batch writer's two candidate statements side by side on one embedded PostgreSQL (decision 1501):
 * {@code INSERT … SELECT FROM unnest(arrays)} and binary {@code COPY}, each batch in its own transaction with
 * the ingest ledger's insert, rounds alternating so that load on a shared machine hits both alike. Reports the
 * CPU per row of the client thread and of the PostgreSQL backend (from {@code /proc}), which load changes far
 * less than rows per second.
 *
 * <p>{@code java -cp locomov-bench.jar org.locomov.bench.StatementBench --rounds 3 --batches 50 --batch 1000}
 */
@Command(name = "statement-bench", mixinStandardHelpOptions = true,
        description = "Compares INSERT … unnest with binary COPY for the batch writer's batches.")
public final class StatementBench implements Callable<Integer> {

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds of each statement, alternating. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--batches", defaultValue = "50", description = "Batches per round. Default: ${DEFAULT-VALUE}.")
    int batches;

    @Option(names = "--batch", defaultValue = "1000", description = "Readings per batch. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--devices", defaultValue = "64", description = "Devices the readings are spread over. Default: ${DEFAULT-VALUE}.")
    int devices;

    private enum Statement {
        UNNEST, COPY
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new StatementBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("locomov-statement-bench");
        try (Database database = Database.open(StoreSettings.embedded(work.resolve("db")), new SimpleMeterRegistry());
                Connection connection = database.dataSource().getConnection()) {
            for (long id = 1; id <= devices; id++) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO pub (pub_id) VALUES (?)")) {
                    insert.setLong(1, id);
                    insert.executeUpdate();
                }
            }
            connection.setAutoCommit(false);
            int backend = connection.unwrap(PGConnection.class).getBackendPID();
            round(connection, backend, Statement.UNNEST, false); // warm-up: JIT, plans, first partition pages
            round(connection, backend, Statement.COPY, false);
            System.out.printf(Locale.ROOT, "%-7s %10s %16s %18s%n", "stmt", "rows/s", "client µs/row", "backend µs/row");
            for (int r = 0; r < rounds; r++) {
                round(connection, backend, Statement.UNNEST, true);
                round(connection, backend, Statement.COPY, true);
            }
        }
        return 0;
    }

    private void round(Connection connection, int backend, Statement statement, boolean report)
            throws SQLException, IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long backendBefore = backendCpuNanos(backend);
        long clientBefore = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            List<Reading> batch = batch(b);
            if (statement == Statement.UNNEST) {
                PacketRows.insert(connection, batch);
            } else {
                PacketRows.copy(connection, batch);
            }
            try (PreparedStatement ledger = connection.prepareStatement("INSERT INTO ingest_batch (id) VALUES (?)")) {
                ledger.setObject(1, java.util.UUID.randomUUID());
                ledger.executeUpdate();
            }
            connection.commit();
        }
        long wall = System.nanoTime() - start;
        long client = threads.getCurrentThreadCpuTime() - clientBefore;
        long server = backendCpuNanos(backend) - backendBefore;
        long rows = (long) batches * batchSize;
        if (report) {
            System.out.printf(Locale.ROOT, "%-7s %10.0f %16.2f %18.2f%n", statement, rows / (wall / 1e9),
                    client / 1e3 / rows, server / 1e3 / rows);
        }
    }

    private List<Reading> batch(int index) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Reading> readings = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            readings.add(new Reading(1 + (index * batchSize + i) % devices, now, now, true, 229.5, 50.3, 13.4538, 77.6283,
                    null, Transport.MOV));
        }
        return readings;
    }

    /** utime + stime of a process, from /proc (clock ticks of 10 ms). */
    private static long backendCpuNanos(int pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
    }
}
