package org.locomov.store.plane;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.locomov.core.command.Command;
import org.locomov.core.command.CommandStatus;

/**
 * The {@code command} table: commands made, listed, claimed for delivery, answered and expired. Every status
 * change is announced on {@value #CHANNEL} by the table's trigger, as {@code "<id> <pub_id> <status>"}.
 *
 * <p>Thread-safe: stateless; each call borrows its own connection. Claiming and answering are single
 * conditional UPDATEs, so nodes racing for the same command never both win.
 */
public final class CommandRows {

    public static final String CHANNEL = "locomov_command";
    /** Longest time to live of a command: 30 days. */
    public static final Duration MAX_TTL = Duration.ofDays(30);

    private static final String COLUMNS =
            "id, pub_id, name, payload::text AS payload, status, response::text AS response, created_at, expires_at, answered_at";

    private final DataSource dataSource;

    public CommandRows(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Stores a new, queued command; its trigger announces it to every node.
     *
     * @param payloadJson valid JSON text, or null
     * @param createdBy   the user who made it; nullable
     */
    public Command create(long deviceId, String name, String payloadJson, Duration ttl, Long createdBy) {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("a command's ttl must be 1 s to " + MAX_TTL.toDays() + " days");
        }
        return Sql.query(dataSource, "could not store a command for device " + deviceId, """
                INSERT INTO command (pub_id, name, payload, ttl_seconds, expires_at, created_by)
                VALUES (?, ?, ?::jsonb, ?, now() + make_interval(secs => ?), ?)
                RETURNING """ + " " + COLUMNS, statement -> {
                    statement.setLong(1, deviceId);
                    statement.setString(2, name);
                    statement.setString(3, payloadJson);
                    statement.setInt(4, (int) ttl.toSeconds());
                    statement.setLong(5, ttl.toSeconds());
                    statement.setObject(6, createdBy, Types.BIGINT);
                }, CommandRows::read).getFirst();
    }

    public Optional<Command> find(long deviceId, long commandId) {
        return Sql.query(dataSource, "could not read command " + commandId,
                "SELECT " + COLUMNS + " FROM command WHERE id = ? AND pub_id = ?", statement -> {
                    statement.setLong(1, commandId);
                    statement.setLong(2, deviceId);
                }, CommandRows::read).stream().findFirst();
    }

    /** The device's commands, newest first, with ids below {@code beforeId} (null: from the newest). */
    public List<Command> list(long deviceId, Long beforeId, int limit) {
        return Sql.query(dataSource, "could not list the commands of device " + deviceId,
                "SELECT " + COLUMNS + " FROM command WHERE pub_id = ? AND (?::bigint IS NULL OR id < ?) ORDER BY id DESC LIMIT ?",
                statement -> {
                    statement.setLong(1, deviceId);
                    statement.setObject(2, beforeId, Types.BIGINT);
                    statement.setObject(3, beforeId, Types.BIGINT);
                    statement.setInt(4, limit);
                }, CommandRows::read);
    }

    /** The commands with these ids, in id order. */
    public List<Command> byIds(Collection<Long> ids) {
        return Sql.query(dataSource, "could not read commands", "SELECT " + COLUMNS + " FROM command WHERE id = ANY (?) ORDER BY id",
                statement -> {
                    Array array = statement.getConnection().createArrayOf("bigint", ids.toArray());
                    statement.setArray(1, array);
                }, CommandRows::read);
    }

    /** Ids of the device's queued commands that have not expired, oldest first: what a new session is handed. */
    List<Long> waiting(long deviceId) {
        return Sql.query(dataSource, "could not read the waiting commands of device " + deviceId,
                "SELECT id FROM command WHERE pub_id = ? AND status = 'queued' AND expires_at > now() ORDER BY id",
                statement -> statement.setLong(1, deviceId), row -> row.getLong(1));
    }

    /** Marks a queued, unexpired command sent by {@code node}; empty when another node took it or it expired. */
    Optional<Command> claim(long commandId, String node) {
        return Sql.query(dataSource, "could not claim command " + commandId, """
                UPDATE command SET status = 'sent', sent_at = now(), node = ?
                WHERE id = ? AND status = 'queued' AND expires_at > now()
                RETURNING""" + " " + COLUMNS, statement -> {
                    statement.setString(1, node);
                    statement.setLong(2, commandId);
                }, CommandRows::read).stream().findFirst();
    }

    /** A sent command whose connection closed before it went out waits for the next session again. */
    void requeue(long commandId) {
        Sql.update(dataSource, "could not re-queue command " + commandId,
                "UPDATE command SET status = 'queued', sent_at = NULL, node = NULL WHERE id = ? AND status = 'sent'",
                statement -> statement.setLong(1, commandId));
    }

    /** A command the device's transport could not hand over ends failed, with the reason as its response. */
    void failUndelivered(long commandId, String reason) {
        Sql.update(dataSource, "could not fail command " + commandId, """
                UPDATE command SET status = 'failed', response = jsonb_build_object('error', ?::text), answered_at = now()
                WHERE id = ? AND status = 'sent'""", statement -> {
                    statement.setString(1, reason);
                    statement.setLong(2, commandId);
                });
    }

    /**
     * Records the device's answer to a command that waits for one (queued or sent, not expired).
     *
     * @return the answered command; empty when none of that id waits for this device's answer
     */
    public Optional<Command> answer(long deviceId, long commandId, boolean ok, String payloadJson) {
        return Sql.query(dataSource, "could not record the answer to command " + commandId, """
                UPDATE command SET status = ?, response = locomov_jsonb_or_text(?), answered_at = now()
                WHERE id = ? AND pub_id = ? AND status IN ('queued', 'sent') AND expires_at > now()
                RETURNING""" + " " + COLUMNS, statement -> {
                    statement.setString(1, ok ? "answered" : "failed");
                    statement.setString(2, payloadJson);
                    statement.setLong(3, commandId);
                    statement.setLong(4, deviceId);
                }, CommandRows::read).stream().findFirst();
    }

    /** Marks every command past its time to live and not final as expired; returns how many. */
    int expire() {
        return Sql.update(dataSource, "could not expire commands",
                "UPDATE command SET status = 'expired' WHERE status IN ('queued', 'sent') AND expires_at <= now()",
                statement -> { });
    }

    static Command read(ResultSet row) throws SQLException {
        return new Command(row.getLong("id"), row.getLong("pub_id"), row.getString("name"), row.getString("payload"),
                CommandStatus.valueOf(row.getString("status").toUpperCase(Locale.ROOT)), row.getString("response"),
                Sql.instant(row, "created_at"), Sql.instant(row, "expires_at"), Sql.instant(row, "answered_at"));
    }

    /** The command id and status of a notification payload {@code "<id> <pub_id> <status>"}. */
    record Change(long commandId, long deviceId, CommandStatus status) {

        static Optional<Change> parse(String payload) {
            String[] parts = payload.split(" ");
            try {
                return Optional.of(new Change(Long.parseLong(parts[0]), Long.parseLong(parts[1]),
                        CommandStatus.valueOf(parts[2].toUpperCase(Locale.ROOT))));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }

}
