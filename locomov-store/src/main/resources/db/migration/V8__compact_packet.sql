-- A compact packet table (issue 11, docs/decisions/0506-compact-packet-storage.md): about 128 bytes per
-- reading with its index instead of about 220, without losing meaning.
--   * voltage, frequency, lat and lng are REAL, as in the original mov server. A value a REAL cannot give
--     back exactly (its shortest decimal form differs) is kept whole in the matching *_exact column and
--     its REAL left NULL, so nothing a device sent is rounded (PacketRows / RealColumn decide per value).
--   * transport is a smallint code (org.locomov.core.Transport.code()).
--   * no primary key: id stays unique (it comes from the identity sequence only) and only tie-breaks the
--     paging order, so the one index is (pub_id, created_at), which every read of readings starts from.
-- The view "reading" presents the old shape (double precision values, transport as text); everything
-- that reads readings reads it. It also takes INSERTs of the old shape (tests, operators' scripts).
-- Partitions keep their names and bounds, and the rows their ids.

CREATE TABLE packet_compact (
    pub_id          bigint      NOT NULL REFERENCES pub (pub_id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL,
    saved_at        timestamptz NOT NULL DEFAULT now(),
    id              bigint      GENERATED ALWAYS AS IDENTITY (CACHE 100),
    voltage         real,
    frequency       real,
    lat             real,
    lng             real,
    transport       smallint    NOT NULL,
    protected       boolean,
    extra           jsonb,
    voltage_exact   double precision,
    frequency_exact double precision,
    lat_exact       double precision,
    lng_exact       double precision
) PARTITION BY RANGE (saved_at);

-- The same partitions as packet has now, under temporary names.
DO $$
DECLARE
    part record;
BEGIN
    FOR part IN
        SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'packet'::regclass
    LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF packet_compact %s', part.name || '_compact', part.bound);
    END LOOP;
END $$;

-- Whether a REAL gives back exactly this value: at most 6 significant digits (FLT_DIG, so the REAL's
-- 6-digit form, which real::numeric prints whatever extra_float_digits says, names the same number) and
-- a magnitude a REAL holds. RealColumn.fits is the same rule in Java.
CREATE FUNCTION fits_real(value double precision) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN value IS NULL OR value = 0 THEN true
                WHEN NOT abs(value) BETWEEN 1e-37 AND 1e38 THEN false
                ELSE value::real::numeric::double precision = value END;

INSERT INTO packet_compact (pub_id, created_at, saved_at, id, voltage, frequency, lat, lng, transport, protected,
                            extra, voltage_exact, frequency_exact, lat_exact, lng_exact)
OVERRIDING SYSTEM VALUE
SELECT pub_id, created_at, saved_at, id,
       CASE WHEN fits_real(voltage) THEN voltage::real END,
       CASE WHEN fits_real(frequency) THEN frequency::real END,
       CASE WHEN fits_real(lat) THEN lat::real END,
       CASE WHEN fits_real(lng) THEN lng::real END,
       CASE transport WHEN 'mov' THEN 1 WHEN 'mqtt' THEN 2 WHEN 'coap' THEN 3 WHEN 'api' THEN 4
                      WHEN 'particle' THEN 5 END,
       protected, extra,
       CASE WHEN NOT fits_real(voltage) THEN voltage END,
       CASE WHEN NOT fits_real(frequency) THEN frequency END,
       CASE WHEN NOT fits_real(lat) THEN lat END,
       CASE WHEN NOT fits_real(lng) THEN lng END
FROM packet;

SELECT setval(pg_get_serial_sequence('packet_compact', 'id'), max(id)) FROM packet HAVING max(id) IS NOT NULL;

DROP TABLE packet;
ALTER TABLE packet_compact RENAME TO packet;
ALTER SEQUENCE packet_compact_id_seq RENAME TO packet_id_seq;
ALTER TABLE packet RENAME CONSTRAINT packet_compact_pub_id_fkey TO packet_pub_id_fkey;
DO $$
DECLARE
    part record;
BEGIN
    FOR part IN
        SELECT c.relname AS name
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'packet'::regclass
    LOOP
        EXECUTE format('ALTER TABLE %I RENAME TO %I', part.name, left(part.name, -length('_compact')));
    END LOOP;
END $$;

-- Built once the rows are in (faster than maintaining it row by row); partitions get it too.
CREATE INDEX packet_pub_created_idx ON packet (pub_id, created_at);

CREATE FUNCTION transport_name(code smallint) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE code WHEN 1 THEN 'mov' WHEN 2 THEN 'mqtt' WHEN 3 THEN 'coap' WHEN 4 THEN 'api'
                     WHEN 5 THEN 'particle' END;

CREATE FUNCTION transport_code(name text) RETURNS smallint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE name WHEN 'mov' THEN 1 WHEN 'mqtt' THEN 2 WHEN 'coap' THEN 3 WHEN 'api' THEN 4
                     WHEN 'particle' THEN 5 END;

-- A REAL read back as the double its 6-digit decimal form names (3.3, not 3.299999952316284).
CREATE FUNCTION real_value(value real, exact double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN coalesce(exact, value::numeric::double precision);

-- The readings in the shape of the original packet table.
CREATE VIEW reading AS
SELECT id, pub_id, created_at, saved_at,
       real_value(voltage, voltage_exact) AS voltage,
       real_value(frequency, frequency_exact) AS frequency,
       protected,
       real_value(lat, lat_exact) AS lat,
       real_value(lng, lng_exact) AS lng,
       extra,
       transport_name(transport) AS transport
FROM packet;

CREATE FUNCTION reading_insert() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO packet (pub_id, created_at, saved_at, voltage, frequency, lat, lng, transport, protected, extra,
                        voltage_exact, frequency_exact, lat_exact, lng_exact)
    VALUES (NEW.pub_id, NEW.created_at, coalesce(NEW.saved_at, now()),
            CASE WHEN fits_real(NEW.voltage) THEN NEW.voltage::real END,
            CASE WHEN fits_real(NEW.frequency) THEN NEW.frequency::real END,
            CASE WHEN fits_real(NEW.lat) THEN NEW.lat::real END,
            CASE WHEN fits_real(NEW.lng) THEN NEW.lng::real END,
            transport_code(NEW.transport), NEW.protected, NEW.extra,
            CASE WHEN NOT fits_real(NEW.voltage) THEN NEW.voltage END,
            CASE WHEN NOT fits_real(NEW.frequency) THEN NEW.frequency END,
            CASE WHEN NOT fits_real(NEW.lat) THEN NEW.lat END,
            CASE WHEN NOT fits_real(NEW.lng) THEN NEW.lng END)
    RETURNING id INTO NEW.id;
    RETURN NEW;
END $$;

CREATE TRIGGER reading_insert INSTEAD OF INSERT ON reading FOR EACH ROW EXECUTE FUNCTION reading_insert();
