package org.locomov.store;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.locomov.core.CommitListener;
import org.locomov.core.GroupedHandoff;
import org.locomov.core.Ingest;
import org.locomov.core.IngestSettings;
import org.locomov.core.Reading;
import org.locomov.core.ReadingRefusedException;
import org.locomov.core.ShuttingDownException;
import org.locomov.core.StorageUnavailableException;
import org.locomov.store.IngestMetrics.FailureReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of readings: a bounded queue in front of a single thread that writes whatever is
 * queued (up to {@code maxBatchSize}) in one statement, commits, and only then completes each
 * reading's future (group commit). See {@link Ingest} for the contract.
 *
 * <ul>
 *   <li>A reading PostgreSQL refuses fails alone with {@link ReadingRefusedException}; the rest of
 *       its batch commits. Readings submitted together ({@link #submitAll}) stand or fall together.</li>
 *   <li>While the database is unreachable nothing is acknowledged: the batch is retried with backoff
 *       ({@value #FIRST_BACKOFF_MS} ms doubling to {@value #MAX_BACKOFF_MS} ms), readings older than
 *       {@code storageTimeout} fail with {@link StorageUnavailableException}, the queue fills and
 *       transports pause. Writing resumes by itself when the database is back.</li>
 *   <li>Exactly once: each batch records its id in {@code ingest_batch} in its own transaction. When the
 *       connection breaks during COMMIT, the batch is in doubt: nothing is written or acknowledged until
 *       {@link IngestLedger#settle} says whether it committed; then its readings are acknowledged without
 *       being written again, or written again (docs/decisions/0104-batch-writer-failures.md).</li>
 *   <li>{@link #close()} stops accepting, commits what is queued (each reading bounded by its
 *       {@code storageTimeout}) and stops the thread.</li>
 * </ul>
 *
 * <p>Threads: {@link #submit} and {@link #whenCapacity} are called from any thread (transports'
 * event loops) and never block; the queue, the waiter list and the in-progress counter are the only
 * state they share with the writer thread, and all three are concurrent structures. Futures are
 * completed, {@code whenCapacity} tasks and the {@link CommitListener} run, on the writer thread
 * ({@value #THREAD_NAME}): none of them may block. Everything else is confined to that thread.
 */
public final class BatchWriter implements Ingest, AutoCloseable {

    static final String THREAD_NAME = "locomov-batch-writer";
    static final long FIRST_BACKOFF_MS = 50;
    static final long MAX_BACKOFF_MS = 2_000;

    private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);
    private static final long IDLE_POLL_MS = 100;
    /** Beyond the readings' own timeout, how long close() waits for a statement already running. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final IngestSettings settings;
    private final CommitListener commitListener;
    private final IngestMetrics metrics;
    private final PacketInsert packetInsert = new PacketInsert();
    private final IngestLedger ledger;
    private final LinkedBlockingQueue<Pending> queue;
    private final ConcurrentLinkedQueue<Runnable> capacityWaiters = new ConcurrentLinkedQueue<>();
    /** Submits between their check of {@link #closing} and their offer; the writer exits only at zero. */
    private final AtomicInteger submitsInProgress = new AtomicInteger();
    private final Thread writer;
    private volatile boolean closing;

    // Writer thread only.
    private long outageStartedNanos = -1;
    private InDoubt inDoubt; // the batch whose COMMIT got no answer, until settled; null otherwise

    /** Readings waiting for their commit (one, or a device's array), with the time after which they give up. */
    private record Pending(List<Reading> readings, CompletableFuture<Void> future, long deadlineNanos) {
    }

    /** What a batch wrote, in batch order: its pendings and, for each, null or the reason it was refused. */
    private record Written(List<Pending> batch, String[] refusals) {
    }

    /** A batch whose COMMIT was sent but not answered: its id, what it wrote, and the server process that wrote it. */
    private record InDoubt(UUID batchId, Written written, int backendPid) {
    }

    private enum Attempt {
        COMMITTED, NOT_STORED, IN_DOUBT
    }

    public BatchWriter(DataSource dataSource, IngestSettings settings, MeterRegistry registry) {
        this(dataSource, settings, registry, CommitListener.NONE);
    }

    /** @param commitListener told, on the writer thread, of every committed batch */
    public BatchWriter(DataSource dataSource, IngestSettings settings, MeterRegistry registry,
            CommitListener commitListener) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.commitListener = Objects.requireNonNull(commitListener, "commitListener");
        this.queue = new LinkedBlockingQueue<>(settings.queueCapacity());
        this.ledger = new IngestLedger(settings.storageTimeout());
        this.metrics = new IngestMetrics(registry, queue);
        this.writer = Thread.ofPlatform().name(THREAD_NAME).daemon(true).unstarted(this::run);
    }

    /** Starts the writer thread. Readings submitted before are kept and written once it runs. */
    public void start() {
        writer.start();
    }

    @Override
    public CompletableFuture<Void> submit(Reading reading) {
        return submitAll(List.of(reading));
    }

    @Override
    public CompletableFuture<Void> submitAll(List<Reading> readings) {
        if (readings.isEmpty()) {
            throw new IllegalArgumentException("submitAll needs at least one reading");
        }
        submitsInProgress.incrementAndGet();
        try {
            if (closing) {
                metrics.failed(FailureReason.SHUTDOWN, readings.size());
                return CompletableFuture.failedFuture(new ShuttingDownException());
            }
            Pending pending = new Pending(List.copyOf(readings), new CompletableFuture<>(),
                    System.nanoTime() + settings.storageTimeout().toNanos());
            return queue.offer(pending) ? pending.future() : null;
        } finally {
            submitsInProgress.decrementAndGet();
        }
    }

    @Override
    public void whenCapacity(Runnable task) {
        Objects.requireNonNull(task, "task");
        capacityWaiters.add(task);
        // Checked after adding, so a drain that happened in between cannot leave the task waiting.
        if (queue.remainingCapacity() > 0 || closing) {
            runCapacityWaiters();
        }
    }

    /**
     * Stops accepting readings, writes and commits what is queued, and stops the writer thread.
     * Returns once everything queued is committed or failed.
     */
    @Override
    public void close() {
        closing = true;
        runCapacityWaiters(); // paused transports resume, submit, and learn that the server is stopping
        if (!writer.isAlive()) {
            if (writer.getState() == Thread.State.NEW) {
                failQueued(new ShuttingDownException(), FailureReason.SHUTDOWN);
            }
            return;
        }
        try {
            writer.join(settings.storageTimeout().plus(CLOSE_GRACE).toMillis());
            if (writer.isAlive()) {
                log.warn("Batch writer still busy {} after close; interrupting it", settings.storageTimeout().plus(CLOSE_GRACE));
                writer.interrupt();
                writer.join(CLOSE_GRACE.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(settings.maxBatchSize());
        long backoffMs = FIRST_BACKOFF_MS;
        try {
            while (true) {
                if (inDoubt != null) {
                    if (!settle(batch)) {
                        Thread.sleep(backoffMs);
                        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
                        continue;
                    }
                    backoffMs = FIRST_BACKOFF_MS;
                }
                if (batch.isEmpty()) {
                    Pending first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        if (closing && submitsInProgress.get() == 0 && queue.isEmpty()) {
                            return;
                        }
                        continue;
                    }
                    batch.add(first);
                }
                queue.drainTo(batch, settings.maxBatchSize() - batch.size());
                runCapacityWaiters();
                switch (writeAndCommit(batch)) {
                    case COMMITTED -> {
                        batch.clear();
                        backoffMs = FIRST_BACKOFF_MS;
                        ledger.pruneIfDue(dataSource);
                    }
                    case IN_DOUBT -> batch.clear(); // held by inDoubt until settled
                    case NOT_STORED -> {
                        failExpired(batch);
                        Thread.sleep(backoffMs);
                        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
                    }
                }
            }
        } catch (InterruptedException e) {
            // Only close() interrupts, after the readings' own timeout: what is left cannot be stored.
            StorageUnavailableException stopped = new StorageUnavailableException("database unavailable", null);
            batch.forEach(pending -> fail(pending, stopped, FailureReason.UNAVAILABLE));
            if (inDoubt != null) {
                inDoubt.written().batch().forEach(pending -> fail(pending, stopped, FailureReason.UNAVAILABLE));
            }
            failQueued(stopped, FailureReason.UNAVAILABLE);
        }
    }

    private Attempt writeAndCommit(List<Pending> batch) {
        List<List<Reading>> groups = new ArrayList<>(batch.size());
        batch.forEach(pending -> groups.add(pending.readings()));
        UUID batchId = UUID.randomUUID();
        String[] refusals = null;
        int backendPid = -1;
        boolean commitSent = false;
        long startedNanos = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                refusals = packetInsert.write(connection, groups);
                ledger.record(connection, batchId);
                backendPid = IngestLedger.backendPid(connection);
                commitSent = true;
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            noteUnavailable(e, batch.size());
            if (commitSent) {
                // PostgreSQL may have committed: ask it before writing anything again.
                inDoubt = new InDoubt(batchId, new Written(List.copyOf(batch), refusals), backendPid);
                metrics.inDoubt();
                log.info("The connection broke during the COMMIT of {} readings (batch {}); storing them again only "
                        + "if that COMMIT did not take effect", batch.size(), batchId);
                return Attempt.IN_DOUBT;
            }
            return Attempt.NOT_STORED;
        }
        metrics.commitLatency().record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        metrics.batchSize(groups.stream().mapToInt(List::size).sum());
        noteAvailable();
        complete(batch, refusals);
        return Attempt.COMMITTED;
    }

    /**
     * Asks whether the batch in doubt committed: if so its readings are acknowledged as written; if not they go
     * back into {@code batch} to be written anew. Readings whose timeout passes meanwhile fail as unavailable.
     *
     * @return true once settled, false when the database cannot say yet
     */
    private boolean settle(List<Pending> batch) {
        Written written = inDoubt.written();
        switch (ledger.settle(dataSource, inDoubt.batchId(), inDoubt.backendPid())) {
            case COMMITTED -> {
                log.info("Batch {} had committed before its connection broke: {} readings acknowledged, not written "
                        + "again", inDoubt.batchId(), written.batch().size());
                metrics.settled(IngestLedger.Outcome.COMMITTED);
                noteAvailable();
                inDoubt = null;
                complete(written.batch(), written.refusals());
                return true;
            }
            case NOT_COMMITTED -> {
                log.info("Batch {} had not committed before its connection broke: writing its {} readings again",
                        inDoubt.batchId(), written.batch().size());
                metrics.settled(IngestLedger.Outcome.NOT_COMMITTED);
                noteAvailable();
                inDoubt = null;
                batch.addAll(written.batch());
                return true;
            }
            default -> {
                List<Pending> waiting = new ArrayList<>(written.batch());
                failExpired(waiting);
                if (waiting.isEmpty()) {
                    inDoubt = null; // all gave up; whatever the outcome, nothing is left to acknowledge
                    return true;
                }
                if (waiting.size() < written.batch().size()) {
                    inDoubt = new InDoubt(inDoubt.batchId(), keepOnly(written, waiting), inDoubt.backendPid());
                }
                return false;
            }
        }
    }

    private static Written keepOnly(Written written, List<Pending> waiting) {
        List<Pending> kept = new ArrayList<>(waiting.size());
        List<String> refusals = new ArrayList<>(waiting.size());
        for (int i = 0; i < written.batch().size(); i++) {
            if (waiting.contains(written.batch().get(i))) {
                kept.add(written.batch().get(i));
                refusals.add(written.refusals()[i]);
            }
        }
        return new Written(kept, refusals.toArray(String[]::new));
    }

    /**
     * Completes the futures of a written batch. Inside one {@link GroupedHandoff} group, so that the transports'
     * hops back to their event loops become one task per event loop for the whole batch.
     */
    private void complete(List<Pending> batch, String[] refusals) {
        GroupedHandoff.grouped(() -> completeEach(batch, refusals));
    }

    private void completeEach(List<Pending> batch, String[] refusals) {
        List<Reading> committed = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Pending pending = batch.get(i);
            if (refusals[i] == null) {
                pending.readings().forEach(reading -> metrics.committed(reading.transport()));
                committed.addAll(pending.readings());
                pending.future().complete(null);
            } else {
                log.info("Refused {} from device {}: {}", pending.readings().size() == 1 ? "a reading"
                        : pending.readings().size() + " readings sent together", pending.readings().getFirst().deviceId(),
                        refusals[i]);
                fail(pending, new ReadingRefusedException(refusals[i], null), FailureReason.REFUSED);
            }
        }
        if (!committed.isEmpty()) {
            try {
                commitListener.committed(committed);
            } catch (RuntimeException e) {
                log.warn("Commit listener failed: {}", e.toString());
            }
        }
    }

    private void failExpired(List<Pending> batch) {
        long now = System.nanoTime();
        int before = batch.size();
        StorageUnavailableException timedOut = null;
        for (var iterator = batch.iterator(); iterator.hasNext(); ) {
            Pending pending = iterator.next();
            if (now - pending.deadlineNanos() >= 0) {
                if (timedOut == null) {
                    timedOut = new StorageUnavailableException(
                            "database unavailable for " + settings.storageTimeout().toSeconds() + " s", null);
                }
                fail(pending, timedOut, FailureReason.UNAVAILABLE);
                iterator.remove();
            }
        }
        if (batch.size() < before) {
            log.debug("{} readings failed after waiting {} for the database", before - batch.size(), settings.storageTimeout());
        }
    }

    private void noteUnavailable(Exception e, int waiting) {
        if (outageStartedNanos < 0) {
            outageStartedNanos = System.nanoTime();
            log.warn("PostgreSQL unreachable, {} readings waiting (each gives up after {}); retrying: {}",
                    waiting + queue.size(), settings.storageTimeout(), SqlFailures.describe(e));
        } else {
            log.debug("PostgreSQL still unreachable: {}", SqlFailures.describe(e));
        }
    }

    private void noteAvailable() {
        if (outageStartedNanos >= 0) {
            Duration outage = Duration.ofNanos(System.nanoTime() - outageStartedNanos);
            outageStartedNanos = -1;
            log.info("PostgreSQL reachable again after {} ms; writing resumed", outage.toMillis());
        }
    }

    private void runCapacityWaiters() {
        Runnable task;
        while ((queue.remainingCapacity() > 0 || closing) && (task = capacityWaiters.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("whenCapacity task failed: {}", e.toString());
            }
        }
    }

    private void failQueued(RuntimeException cause, FailureReason reason) {
        Pending pending;
        while ((pending = queue.poll()) != null) {
            fail(pending, cause, reason);
        }
    }

    private void fail(Pending pending, RuntimeException cause, FailureReason reason) {
        metrics.failed(reason, pending.readings().size());
        pending.future().completeExceptionally(cause);
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the pool discards it and PostgreSQL rolls back on its own.
        }
    }
}
