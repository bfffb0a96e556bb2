-- Costs that do not grow with the table (see ARCHITECTURE.md, "Counting at scale").
--
-- sf_job_state (state, id): finished and failed lists newest first, and the scan of running jobs for expired
-- leases (running jobs are few: at most the workers' slots), which made sf_job_lease redundant.
-- sf_job_run_at (state, run_at, id): the due and scheduled lists by run time, and the purge of old succeeded jobs
-- (their run_at is at most their finished_at), which made sf_job_finished redundant.
-- One statement, so that it applies whole or not at all; InnoDB builds the indexes in place.
ALTER TABLE sf_job
    DROP INDEX sf_job_lease,
    DROP INDEX sf_job_finished,
    ADD INDEX sf_job_state (state),
    ADD INDEX sf_job_run_at (state, run_at);

-- Roles that one process at a time holds for a while (the census of the queues): whoever finds the row expired
-- takes it over with one conditional UPDATE.
CREATE TABLE IF NOT EXISTS sf_role (
    name       VARCHAR(64)  NOT NULL PRIMARY KEY,
    holder     VARCHAR(128) NULL,
    expires_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
INSERT IGNORE INTO sf_role (name) VALUES ('census');

-- The last census of each queue, written by the process holding the 'census' role and read by every
-- process's gauges: one small read instead of one aggregate per process. est_flags: bit per count that is an
-- estimate (1 pending, 2 scheduled, 4 running, 8 succeeded, 16 failed).
CREATE TABLE IF NOT EXISTS sf_queue_census (
    queue       VARCHAR(64)  NOT NULL PRIMARY KEY,
    pending     BIGINT       NOT NULL,
    scheduled   BIGINT       NOT NULL,
    running     BIGINT       NOT NULL,
    succeeded   BIGINT       NOT NULL,
    failed      BIGINT       NOT NULL,
    est_flags   INT          NOT NULL DEFAULT 0,
    oldest_due_ms BIGINT     NOT NULL DEFAULT 0,
    taken_at    TIMESTAMP(3) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Jobs finished per minute, added by the workers that finished them (each flushes its own tally with its
-- heartbeat): the throughput chart reads 60 rows instead of an hour of jobs. minute: minutes since the epoch.
CREATE TABLE IF NOT EXISTS sf_job_minute (
    minute    BIGINT   NOT NULL PRIMARY KEY,
    succeeded BIGINT   NOT NULL DEFAULT 0,
    failed    BIGINT   NOT NULL DEFAULT 0
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
