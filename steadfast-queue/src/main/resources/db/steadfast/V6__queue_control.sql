-- What operators decide about a queue, shared by every worker. A paused queue keeps accepting jobs; claims read
-- this table in the same statement that claims (a non-locking read inside the locking SELECT), so pausing costs
-- the hot path no round trip and waits for no claim.
CREATE TABLE IF NOT EXISTS sf_queue (
    name       VARCHAR(64)  NOT NULL PRIMARY KEY,
    paused     TINYINT(1)   NOT NULL DEFAULT 0,
    paused_at  TIMESTAMP(3) NULL,
    updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- A job is cancelled at once while it waits (state 'cancelled', never run, not a failure); a running job is asked
-- to stop: its worker sees the request, tells the handler and records 'cancelled' instead of a retry.
ALTER TABLE sf_job ADD COLUMN cancel_requested_at TIMESTAMP(3) NULL;
ALTER TABLE sf_queue_census ADD COLUMN cancelled BIGINT NOT NULL DEFAULT 0;
