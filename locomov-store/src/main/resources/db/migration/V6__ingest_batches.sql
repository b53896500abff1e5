-- Exactly-once storage (issue 12, docs/decisions/0104): every batch of readings the writer commits records its
-- id here, in the same transaction as its rows. When the connection breaks during COMMIT, the writer learns
-- from this table whether that batch committed before it would write its readings again. A row is needed
-- only until such a doubt is settled (within the readings' storage timeout); the writer deletes old ones.
CREATE TABLE ingest_batch (
    id           uuid        PRIMARY KEY,
    committed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ingest_batch_committed_at_idx ON ingest_batch (committed_at);
