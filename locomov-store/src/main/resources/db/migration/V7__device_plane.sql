-- The device plane (issue 7): nodes and the device sessions they hold, commands, device events, firmware
-- images and update jobs. Every change another node must act on is announced with pg_notify in the
-- transaction that makes it, so it is seen only once committed (docs/decisions/1100..1105).

-- Stores a device's answer as JSON; text that is not JSON is kept as a JSON string rather than refused.
CREATE FUNCTION locomov_jsonb_or_text(value text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN value::jsonb;
EXCEPTION WHEN invalid_text_representation THEN
    RETURN to_jsonb(value);
END
$$;

-- One row per running serve process, refreshed every --node-timeout / 3. A node whose heartbeat is older
-- than its timeout is dead: any node deletes it, and its sessions with it.
CREATE TABLE node (
    node       text        PRIMARY KEY CHECK (length(node) BETWEEN 1 AND 100),
    started_at timestamptz NOT NULL DEFAULT now(),
    heartbeat  timestamptz NOT NULL DEFAULT now(),
    timeout_ms bigint      NOT NULL CHECK (timeout_ms > 0)
);

-- Device sessions held by live nodes: a device is online while it has one.
CREATE TABLE device_session (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pub_id       bigint      NOT NULL REFERENCES pub (pub_id) ON DELETE CASCADE,
    node         text        NOT NULL REFERENCES node (node) ON DELETE CASCADE,
    listener     text        NOT NULL CHECK (length(listener) BETWEEN 1 AND 50),
    exclusive    boolean     NOT NULL DEFAULT false,
    capabilities text[]      NOT NULL DEFAULT '{}',
    since        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX device_session_pub_idx ON device_session (pub_id);
CREATE INDEX device_session_node_idx ON device_session (node);

CREATE FUNCTION locomov_notify_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('locomov_session', 'closed ' || OLD.pub_id || ' ' || OLD.node || ' ' || OLD.listener);
    ELSE
        PERFORM pg_notify('locomov_session', CASE WHEN NEW.exclusive THEN 'exclusive ' ELSE 'opened ' END
                || NEW.pub_id || ' ' || NEW.node || ' ' || NEW.listener);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER device_session_notify AFTER INSERT OR UPDATE OR DELETE ON device_session
    FOR EACH ROW EXECUTE FUNCTION locomov_notify_session();

-- A revoked, readmitted or deleted device: every node drops what it cached of it and closes its sessions.
CREATE FUNCTION locomov_notify_device() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('locomov_device', OLD.pub_id || ' deleted');
    ELSIF NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN
        PERFORM pg_notify('locomov_device', NEW.pub_id || CASE WHEN NEW.revoked_at IS NULL THEN ' readmitted' ELSE ' revoked' END);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER pub_notify AFTER UPDATE OF revoked_at OR DELETE ON pub
    FOR EACH ROW EXECUTE FUNCTION locomov_notify_device();

-- Commands for devices (docs/decisions/1100): queued until a session of the device takes them, sent at most
-- once, final when answered, failed or expired.
CREATE TABLE command (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pub_id      bigint      NOT NULL REFERENCES pub (pub_id) ON DELETE CASCADE,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    payload     jsonb,
    status      text        NOT NULL DEFAULT 'queued'
                            CHECK (status IN ('queued', 'sent', 'answered', 'failed', 'expired')),
    response    jsonb,
    ttl_seconds integer     NOT NULL CHECK (ttl_seconds > 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    sent_at     timestamptz,
    answered_at timestamptz,
    node        text,
    created_by  bigint      REFERENCES sub (id) ON DELETE SET NULL
);
CREATE INDEX command_pub_idx ON command (pub_id, id);
CREATE INDEX command_open_idx ON command (expires_at) WHERE status IN ('queued', 'sent');

CREATE FUNCTION locomov_notify_command() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('locomov_command', NEW.id || ' ' || NEW.pub_id || ' ' || NEW.status);
    RETURN NULL;
END
$$;
CREATE TRIGGER command_notify AFTER INSERT OR UPDATE OF status ON command
    FOR EACH ROW EXECUTE FUNCTION locomov_notify_command();

-- Device events: named messages that are not readings. Partitioned by commit time like packet, and dropped
-- with the readings' retention (PartitionMaintenance keeps both tables' monthly partitions).
CREATE TABLE event (
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    pub_id       bigint      NOT NULL REFERENCES pub (pub_id) ON DELETE CASCADE,
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    data         text        CHECK (length(data) <= 16384),
    published_at timestamptz NOT NULL,
    saved_at     timestamptz NOT NULL DEFAULT now(),
    transport    text        NOT NULL,
    PRIMARY KEY (id, saved_at)
) PARTITION BY RANGE (saved_at);
CREATE INDEX event_pub_published_idx ON event (pub_id, published_at, id);
CREATE TABLE event_default PARTITION OF event DEFAULT;

CREATE FUNCTION locomov_notify_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('locomov_event', NEW.id || ' ' || NEW.pub_id);
    RETURN NULL;
END
$$;
CREATE TRIGGER event_notify AFTER INSERT ON event FOR EACH ROW EXECUTE FUNCTION locomov_notify_event();

-- Firmware images (docs/decisions/1103): kept in the database, so every node serves them. Stored uncompressed
-- (firmware does not compress) so that a Range request reads only the chunks it needs.
CREATE TABLE firmware (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    version     text        NOT NULL CHECK (length(version) BETWEEN 1 AND 100),
    sha256      bytea       NOT NULL CHECK (octet_length(sha256) = 32),
    size        bigint      NOT NULL CHECK (size >= 0),
    image       bytea       NOT NULL,
    uploaded_by bigint      REFERENCES sub (id) ON DELETE SET NULL,
    uploaded_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (name, version)
);
ALTER TABLE firmware ALTER COLUMN image SET STORAGE EXTERNAL;

CREATE TABLE firmware_job (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pub_id      bigint      NOT NULL REFERENCES pub (pub_id) ON DELETE CASCADE,
    firmware_id bigint      NOT NULL REFERENCES firmware (id) ON DELETE CASCADE,
    status      text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    bytes       bigint      NOT NULL DEFAULT 0 CHECK (bytes >= 0),
    error       text        CHECK (length(error) <= 1000),
    created_at  timestamptz NOT NULL DEFAULT now(),
    started_at  timestamptz,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    node        text,
    created_by  bigint      REFERENCES sub (id) ON DELETE SET NULL
);
CREATE INDEX firmware_job_pub_idx ON firmware_job (pub_id, id);
CREATE INDEX firmware_job_queued_idx ON firmware_job (pub_id) WHERE status = 'queued';

CREATE FUNCTION locomov_notify_firmware_job() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('locomov_firmware_job', NEW.id || ' ' || NEW.pub_id || ' ' || NEW.status);
    RETURN NULL;
END
$$;
CREATE TRIGGER firmware_job_notify AFTER INSERT OR UPDATE OF status, bytes, error ON firmware_job
    FOR EACH ROW EXECUTE FUNCTION locomov_notify_firmware_job();
