-- The tables of the original mov server (DESIGN.md §3), by name and meaning, with 64-bit ids.

-- Registered users, one per email (case-insensitive).
CREATE TABLE sub (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email      text        NOT NULL,
    admin      boolean     NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX sub_email_key ON sub (lower(email));

-- Emails seen in cloud confirmations that belong to no registered user.
CREATE TABLE csub (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text        NOT NULL,
    first_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX csub_email_key ON csub (lower(email));

-- Devices. pub_id is the id the device itself sends, so it is not generated here.
CREATE TABLE pub (
    pub_id       bigint PRIMARY KEY,
    hash         bigint UNIQUE,
    name         text,
    ssid         text,
    creator      bigint REFERENCES sub (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX pub_creator_idx ON pub (creator) WHERE creator IS NOT NULL;

-- Readings, partitioned by the server's commit clock (saved_at), not by the device's clock:
-- see docs/decisions/0101-partition-packet-by-saved-at.md. Monthly partitions are created ahead
-- of time by PartitionMaintenance; the default partition only catches what falls outside them.
CREATE TABLE packet (
    id         bigint GENERATED ALWAYS AS IDENTITY,
    pub_id     bigint           NOT NULL REFERENCES pub (pub_id) ON DELETE CASCADE,
    created_at timestamptz      NOT NULL,
    saved_at   timestamptz      NOT NULL DEFAULT now(),
    voltage    double precision,
    frequency  double precision,
    protected  boolean,
    lat        double precision,
    lng        double precision,
    extra      jsonb,
    transport  text             NOT NULL,
    PRIMARY KEY (id, saved_at)
) PARTITION BY RANGE (saved_at);
-- "Readings of one device over a time range", in a stable order for cursor paging.
CREATE INDEX packet_pub_created_idx ON packet (pub_id, created_at, id);
CREATE TABLE packet_default PARTITION OF packet DEFAULT;

-- Cloud confirmations from newly provisioned devices (DESIGN.md §2, confo).
CREATE TABLE confo (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pub_id      bigint REFERENCES pub (pub_id) ON DELETE SET NULL,
    sub_id      bigint REFERENCES sub (id) ON DELETE SET NULL,
    device_name text,
    ssid        text,
    hash        bigint,
    email       text,
    device_time timestamptz,
    received_at timestamptz NOT NULL DEFAULT now()
);
-- The app asks for the hash of the device it configured, by device name and SSID, newest first.
CREATE INDEX confo_device_ssid_idx ON confo (device_name, ssid, received_at);
CREATE INDEX confo_pub_idx ON confo (pub_id);
CREATE INDEX confo_sub_idx ON confo (sub_id);

-- Confirmations that conflicted with what was known, kept with the reason.
CREATE TABLE cconfo (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pub_id      bigint REFERENCES pub (pub_id) ON DELETE SET NULL,
    sub_id      bigint REFERENCES sub (id) ON DELETE SET NULL,
    device_name text,
    ssid        text,
    hash        bigint,
    email       text,
    device_time timestamptz,
    received_at timestamptz NOT NULL DEFAULT now(),
    reason      text        NOT NULL
);
CREATE INDEX cconfo_pub_idx ON cconfo (pub_id);
CREATE INDEX cconfo_sub_idx ON cconfo (sub_id);
