package org.locomov.store.plane;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.locomov.core.StorageUnavailableException;
import org.locomov.core.firmware.FirmwareJob;
import org.locomov.core.firmware.FirmwareJobStatus;
import org.locomov.core.firmware.FirmwareJobs;
import org.locomov.core.firmware.FirmwareOffer;
import org.locomov.core.session.DeviceSession;
import org.locomov.store.StoreException;
import org.locomov.store.plane.FirmwareRows.Firmware;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Firmware update jobs across nodes, the way {@link PgCommands} carries commands: a job made on any node is
 * announced, a node holding a session of the device that takes firmware claims it (queued → running) and
 * offers it; the transport reports progress back. An offer that could not be written to a connection that
 * closed meanwhile is queued again.
 *
 * <p>Threads: notifications and hand-overs run on the plane's single thread; {@link #report} and
 * {@link #image} run on a virtual thread each and complete their futures from there.
 */
public final class PgFirmwareJobs implements FirmwareJobs, WaitingWork {

    private static final Logger log = LoggerFactory.getLogger(PgFirmwareJobs.class);

    private final FirmwareRows rows;
    private final PgDeviceSessions sessions;
    private final ScheduledExecutorService work;
    private final Executor lookups;
    private final Subscribers<FirmwareJob> subscribers = new Subscribers<>("firmware jobs");

    PgFirmwareJobs(FirmwareRows rows, PgDeviceSessions sessions, ScheduledExecutorService work, Executor lookups) {
        this.rows = Objects.requireNonNull(rows, "rows");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.work = Objects.requireNonNull(work, "work");
        this.lookups = Objects.requireNonNull(lookups, "lookups");
    }

    /** The rows behind the jobs and images, for the API. */
    public FirmwareRows rows() {
        return rows;
    }

    @Override
    public CompletableFuture<Void> report(long deviceId, long jobId, FirmwareJobStatus status, long bytes, String error) {
        Objects.requireNonNull(status, "status");
        return CompletableFuture.runAsync(() -> {
            try {
                rows.report(deviceId, jobId, status, bytes, error);
            } catch (StoreException e) {
                throw new StorageUnavailableException("the progress of update job " + jobId + " was not stored", e);
            }
        }, lookups);
    }

    @Override
    public CompletableFuture<byte[]> image(long firmwareId) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return rows.image(firmwareId).orElseThrow(() -> new IllegalArgumentException("no firmware " + firmwareId));
            } catch (StoreException e) {
                throw new StorageUnavailableException("firmware " + firmwareId + " could not be read", e);
            }
        }, lookups);
    }

    @Override
    public AutoCloseable watch(Consumer<FirmwareJob> subscriber) {
        return subscribers.add(subscriber);
    }

    /** {@value FirmwareRows#CHANNEL} payloads: announce each changed job; offer the queued ones held here. */
    void changed(List<String> payloads) {
        Set<Long> ids = new LinkedHashSet<>();
        for (String payload : payloads) {
            String[] parts = payload.split(" ");
            try {
                long deviceId = Long.parseLong(parts[1]);
                if (!subscribers.isEmpty() || ("queued".equals(parts[2]) && !sessions.sessionsOf(deviceId).isEmpty())) {
                    ids.add(Long.parseLong(parts[0]));
                }
            } catch (RuntimeException e) {
                log.debug("Ignoring update job notification {}", payload);
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        for (FirmwareJob job : rows.jobsByIds(ids)) {
            subscribers.announce(job);
            if (job.status() == FirmwareJobStatus.QUEUED) {
                for (DeviceSession session : sessions.sessionsOf(job.deviceId())) {
                    if (session.takesFirmware()) {
                        offer(job.id(), session);
                        break;
                    }
                }
            }
        }
    }

    @Override
    public void handOver(DeviceSession session) {
        if (!session.takesFirmware()) {
            return;
        }
        for (long jobId : rows.waitingJobs(session.deviceId())) {
            offer(jobId, session);
        }
    }

    private void offer(long jobId, DeviceSession session) {
        Optional<FirmwareJob> claimed = rows.claimJob(jobId, sessions.node());
        if (claimed.isEmpty()) {
            return;
        }
        FirmwareJob job = claimed.get();
        Optional<Firmware> firmware = rows.find(job.firmwareId(), null);
        if (firmware.isEmpty()) {
            rows.report(job.deviceId(), job.id(), FirmwareJobStatus.FAILED, 0, "the firmware image was deleted");
            return;
        }
        Firmware image = firmware.get();
        FirmwareOffer offer = new FirmwareOffer(job.id(), job.deviceId(), image.id(), image.name(), image.version(),
                image.size(), image.sha256Hex(), image.imagePath());
        CompletableFuture<Void> offered;
        try {
            offered = session.offer(offer);
        } catch (RuntimeException e) {
            offered = CompletableFuture.failedFuture(e);
        }
        offered.whenComplete((ok, failure) -> {
            if (failure != null) {
                work.execute(() -> notOffered(job, session, failure));
            }
        });
    }

    private void notOffered(FirmwareJob job, DeviceSession session, Throwable failure) {
        try {
            if (sessions.sessionsOf(job.deviceId()).contains(session)) {
                rows.report(job.deviceId(), job.id(), FirmwareJobStatus.FAILED, 0, "not offered: " + failure.getMessage());
            } else {
                rows.requeueJob(job.id());
            }
        } catch (StoreException e) {
            log.warn("Update job {} could not be re-queued or failed: {}", job.id(), e.getMessage());
        }
    }

    /** After a lost notification connection: offer what waits for the devices held here. */
    void resync() {
        sessions.localSessions().forEach(this::handOver);
    }
}
