-- Jobs. "scheduled" is a pending job whose run_at is in the future; it is not a stored state.
CREATE TABLE IF NOT EXISTS sf_job (
    id               BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    queue            VARCHAR(64)  NOT NULL,
    type             VARCHAR(128) NOT NULL,
    payload          LONGTEXT     NOT NULL,
    priority         INT          NOT NULL DEFAULT 0,
    state            VARCHAR(16)  NOT NULL,
    attempts         INT          NOT NULL DEFAULT 0,
    max_attempts     INT          NOT NULL,
    run_at           TIMESTAMP(3) NOT NULL,
    lease_owner      VARCHAR(128) NULL,
    lease_token      BIGINT       NULL,
    lease_expires_at TIMESTAMP(3) NULL,
    unique_key       VARCHAR(191) NULL,
    -- only live jobs hold their unique key, so a finished job's key can be used again
    live_unique_key  VARCHAR(191) AS (CASE WHEN state IN ('pending', 'running') THEN unique_key END) STORED,
    last_error       TEXT         NULL,
    created_at       TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at       TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    finished_at      TIMESTAMP(3) NULL,
    UNIQUE KEY sf_job_live_unique (queue, live_unique_key),
    -- matches the claim's ORDER BY, so a claim reads only the rows it takes (MariaDB 10.8+, MySQL 8.0+)
    KEY sf_job_claim (state, queue, priority DESC, run_at, id),
    KEY sf_job_lease (state, lease_expires_at),
    KEY sf_job_finished (state, finished_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- The failed-job log: one row per job that used up its attempts.
CREATE TABLE IF NOT EXISTS sf_failed_job (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    job_id       BIGINT       NOT NULL,
    queue        VARCHAR(64)  NOT NULL,
    type         VARCHAR(128) NOT NULL,
    payload      LONGTEXT     NOT NULL,
    attempts     INT          NOT NULL,
    error_class  VARCHAR(255) NOT NULL,
    message      TEXT         NULL,
    stack_trace  MEDIUMTEXT   NULL,
    worker       VARCHAR(128) NULL,
    failed_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE KEY sf_failed_job_job (job_id),
    KEY sf_failed_job_failed_at (failed_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Worker heartbeats.
CREATE TABLE IF NOT EXISTS sf_worker (
    id             VARCHAR(128) NOT NULL PRIMARY KEY,
    host           VARCHAR(255) NOT NULL,
    queues         VARCHAR(1024) NOT NULL,
    started_at     TIMESTAMP(3) NOT NULL,
    last_heartbeat TIMESTAMP(3) NOT NULL,
    running_jobs   INT          NOT NULL DEFAULT 0
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- sf_tx_outcome (commit markers) is created by steadfast-jdbc when a ResilientDatabase is built.
