package org.locomov.store.plane;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.locomov.core.firmware.FirmwareJob;
import org.locomov.core.firmware.FirmwareJobStatus;

/**
 * The {@code firmware} and {@code firmware_job} tables: images kept in the database (decision 1103), read
 * whole or by byte range, and update jobs. Every job change is announced on {@value #CHANNEL} by the
 * table's trigger, as {@code "<id> <pub_id> <status>"}.
 *
 * <p>Thread-safe: stateless; each call borrows its own connection.
 */
public final class FirmwareRows {

    public static final String CHANNEL = "locomov_firmware_job";

    /**
     * An image's description (not its bytes).
     *
     * @param uploadedBy the user who uploaded it; null once that user is gone
     */
    public record Firmware(long id, String name, String version, String sha256Hex, long size, Long uploadedBy,
            Instant uploadedAt) {

        /** Where a device fetches it, with its device token. */
        public String imagePath() {
            return "/api/v1/firmware/" + id + "/image";
        }
    }

    private static final String FIRMWARE = "id, name, version, sha256, size, uploaded_by, uploaded_at";
    private static final String JOB = "id, pub_id, firmware_id, status, bytes, error, created_at, updated_at, finished_at";

    private final DataSource dataSource;

    public FirmwareRows(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Stores an image and its SHA-256.
     *
     * @return empty when an image with this name and version exists already
     */
    public Optional<Firmware> upload(String name, String version, byte[] image, byte[] sha256, Long uploadedBy) {
        return Sql.query(dataSource, "could not store firmware " + name + " " + version, """
                INSERT INTO firmware (name, version, sha256, size, image, uploaded_by) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (name, version) DO NOTHING RETURNING""" + " " + FIRMWARE, statement -> {
                    statement.setString(1, name);
                    statement.setString(2, version);
                    statement.setBytes(3, sha256);
                    statement.setLong(4, image.length);
                    statement.setBytes(5, image);
                    statement.setObject(6, uploadedBy, Types.BIGINT);
                }, FirmwareRows::readFirmware).stream().findFirst();
    }

    /** Images uploaded by {@code uploadedBy} (every image when null), newest first. */
    public List<Firmware> list(Long uploadedBy) {
        return Sql.query(dataSource, "could not list firmware",
                "SELECT " + FIRMWARE + " FROM firmware WHERE (?::bigint IS NULL OR uploaded_by = ?) ORDER BY id DESC",
                statement -> {
                    statement.setObject(1, uploadedBy, Types.BIGINT);
                    statement.setObject(2, uploadedBy, Types.BIGINT);
                }, FirmwareRows::readFirmware);
    }

    /** The image {@code id} if uploaded by {@code uploadedBy} (any uploader when null). */
    public Optional<Firmware> find(long id, Long uploadedBy) {
        return Sql.query(dataSource, "could not read firmware " + id,
                "SELECT " + FIRMWARE + " FROM firmware WHERE id = ? AND (?::bigint IS NULL OR uploaded_by = ?)", statement -> {
                    statement.setLong(1, id);
                    statement.setObject(2, uploadedBy, Types.BIGINT);
                    statement.setObject(3, uploadedBy, Types.BIGINT);
                }, FirmwareRows::readFirmware).stream().findFirst();
    }

    /** {@code length} bytes of the image from {@code offset} (fewer at its end); empty when there is no such image. */
    public Optional<byte[]> read(long id, long offset, int length) {
        return Sql.query(dataSource, "could not read the image of firmware " + id,
                "SELECT substring(image FROM ? FOR ?) FROM firmware WHERE id = ?", statement -> {
                    statement.setInt(1, Math.toIntExact(offset + 1)); // SQL counts from 1; images are below 2 GiB
                    statement.setInt(2, length);
                    statement.setLong(3, id);
                }, row -> row.getBytes(1)).stream().findFirst();
    }

    /** The whole image; empty when there is none. */
    public Optional<byte[]> image(long id) {
        return Sql.query(dataSource, "could not read the image of firmware " + id, "SELECT image FROM firmware WHERE id = ?",
                statement -> statement.setLong(1, id), row -> row.getBytes(1)).stream().findFirst();
    }

    /** True when device {@code deviceId} has an update job for image {@code firmwareId}: it may fetch the image. */
    public boolean hasJob(long deviceId, long firmwareId) {
        return !Sql.query(dataSource, "could not read the update jobs of device " + deviceId,
                "SELECT 1 FROM firmware_job WHERE pub_id = ? AND firmware_id = ? LIMIT 1", statement -> {
                    statement.setLong(1, deviceId);
                    statement.setLong(2, firmwareId);
                }, row -> 1).isEmpty();
    }

    /** A new, queued update job; its trigger announces it to every node. */
    public FirmwareJob createJob(long deviceId, long firmwareId, Long createdBy) {
        return Sql.query(dataSource, "could not make an update job for device " + deviceId,
                "INSERT INTO firmware_job (pub_id, firmware_id, created_by) VALUES (?, ?, ?) RETURNING " + JOB, statement -> {
                    statement.setLong(1, deviceId);
                    statement.setLong(2, firmwareId);
                    statement.setObject(3, createdBy, Types.BIGINT);
                }, FirmwareRows::readJob).getFirst();
    }

    /** The device's update jobs, newest first, at most {@code limit}. */
    public List<FirmwareJob> jobs(long deviceId, int limit) {
        return Sql.query(dataSource, "could not list the update jobs of device " + deviceId,
                "SELECT " + JOB + " FROM firmware_job WHERE pub_id = ? ORDER BY id DESC LIMIT ?", statement -> {
                    statement.setLong(1, deviceId);
                    statement.setInt(2, limit);
                }, FirmwareRows::readJob);
    }

    public Optional<FirmwareJob> job(long deviceId, long jobId) {
        return Sql.query(dataSource, "could not read update job " + jobId,
                "SELECT " + JOB + " FROM firmware_job WHERE id = ? AND pub_id = ?", statement -> {
                    statement.setLong(1, jobId);
                    statement.setLong(2, deviceId);
                }, FirmwareRows::readJob).stream().findFirst();
    }

    List<FirmwareJob> jobsByIds(Collection<Long> ids) {
        return Sql.query(dataSource, "could not read update jobs", "SELECT " + JOB + " FROM firmware_job WHERE id = ANY (?) ORDER BY id",
                statement -> {
                    Array array = statement.getConnection().createArrayOf("bigint", ids.toArray());
                    statement.setArray(1, array);
                }, FirmwareRows::readJob);
    }

    /** Ids of the device's queued jobs, oldest first. */
    List<Long> waitingJobs(long deviceId) {
        return Sql.query(dataSource, "could not read the waiting update jobs of device " + deviceId,
                "SELECT id FROM firmware_job WHERE pub_id = ? AND status = 'queued' ORDER BY id",
                statement -> statement.setLong(1, deviceId), row -> row.getLong(1));
    }

    /** Marks a queued job running on {@code node}; empty when another node took it. */
    Optional<FirmwareJob> claimJob(long jobId, String node) {
        return Sql.query(dataSource, "could not start update job " + jobId, """
                UPDATE firmware_job SET status = 'running', started_at = now(), updated_at = now(), node = ?
                WHERE id = ? AND status = 'queued' RETURNING""" + " " + JOB, statement -> {
                    statement.setString(1, node);
                    statement.setLong(2, jobId);
                }, FirmwareRows::readJob).stream().findFirst();
    }

    /** A job whose connection closed before the offer went out waits for the next session again. */
    void requeueJob(long jobId) {
        Sql.update(dataSource, "could not re-queue update job " + jobId, """
                UPDATE firmware_job SET status = 'queued', started_at = NULL, updated_at = now(), node = NULL
                WHERE id = ? AND status = 'running' AND bytes = 0""", statement -> statement.setLong(1, jobId));
    }

    /**
     * Records progress of a job that is not final.
     *
     * @return the job as it is now; empty when it is not this device's or already final
     */
    Optional<FirmwareJob> report(long deviceId, long jobId, FirmwareJobStatus status, long bytes, String error) {
        String kept = error == null ? null : error.substring(0, Math.min(error.length(), FirmwareJob.MAX_ERROR_LENGTH));
        return Sql.query(dataSource, "could not record progress of update job " + jobId, """
                UPDATE firmware_job SET status = ?, bytes = ?, error = ?, updated_at = now(),
                       started_at = coalesce(started_at, now()),
                       finished_at = CASE WHEN ? IN ('done', 'failed') THEN now() END
                WHERE id = ? AND pub_id = ? AND status IN ('queued', 'running') RETURNING""" + " " + JOB, statement -> {
                    statement.setString(1, status.wireName());
                    statement.setLong(2, Math.max(0, bytes));
                    statement.setString(3, kept);
                    statement.setString(4, status.wireName());
                    statement.setLong(5, jobId);
                    statement.setLong(6, deviceId);
                }, FirmwareRows::readJob).stream().findFirst();
    }

    private static Firmware readFirmware(ResultSet row) throws SQLException {
        long uploader = row.getLong("uploaded_by");
        Long uploadedBy = row.wasNull() ? null : uploader;
        return new Firmware(row.getLong("id"), row.getString("name"), row.getString("version"),
                HexFormat.of().formatHex(row.getBytes("sha256")), row.getLong("size"), uploadedBy,
                Sql.instant(row, "uploaded_at"));
    }

    static FirmwareJob readJob(ResultSet row) throws SQLException {
        return new FirmwareJob(row.getLong("id"), row.getLong("pub_id"), row.getLong("firmware_id"),
                FirmwareJobStatus.valueOf(row.getString("status").toUpperCase(Locale.ROOT)), row.getLong("bytes"),
                row.getString("error"), Sql.instant(row, "created_at"), Sql.instant(row, "updated_at"),
                Sql.instant(row, "finished_at"));
    }
}
