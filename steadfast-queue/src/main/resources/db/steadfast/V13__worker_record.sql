-- What each worker ran, kept after it stops: jobs (counted by job, not by attempt) and how many of them failed for good,
-- written every few seconds while it runs and once more when it stops cleanly (stopped_at). The dashboard lists workers
-- that stopped in the last day, as stopped; the workers' housekeeping deletes older records.
CREATE TABLE IF NOT EXISTS sf_worker_record (
    worker_id  VARCHAR(128)  NOT NULL PRIMARY KEY,
    host       VARCHAR(255)  NOT NULL,
    queues     VARCHAR(1024) NOT NULL,
    started_at TIMESTAMP(3)  NOT NULL,
    jobs       BIGINT        NOT NULL DEFAULT 0,
    failed     BIGINT        NOT NULL DEFAULT 0,
    stopped_at TIMESTAMP(3)  NULL,
    updated_at TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    KEY sf_worker_record_updated (updated_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
