-- What a job's command printed, per attempt (jobs run as processes: `steadfast work --exec`): the kept tails of stdout
-- and stderr (bounded by the worker) and how much there was in all. Goes with its job (purged, deleted).
CREATE TABLE IF NOT EXISTS sf_job_output (
    job_id       BIGINT       NOT NULL,
    attempt      INT          NOT NULL,
    exit_status  INT          NULL,
    stdout       MEDIUMTEXT   NOT NULL,
    stderr       MEDIUMTEXT   NOT NULL,
    stdout_bytes BIGINT       NOT NULL,
    stderr_bytes BIGINT       NOT NULL,
    recorded_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (job_id, attempt),
    CONSTRAINT sf_job_output_job FOREIGN KEY (job_id) REFERENCES sf_job (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
