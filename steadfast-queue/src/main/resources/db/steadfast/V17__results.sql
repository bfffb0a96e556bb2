-- What an attempt leaves besides its outcome (Java handlers and `work --exec` commands): a job's result (JSON, bounded
-- by the worker, stored in the transaction of its success), its durable steps (each recorded once under the lease and
-- skipped on a retry), its latest progress (written with the lease heartbeat, never per call) and a bounded log per
-- attempt. Each goes with its job (purged, deleted).
CREATE TABLE IF NOT EXISTS sf_job_result (
    job_id      BIGINT       NOT NULL,
    result      MEDIUMTEXT   NOT NULL,
    recorded_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (job_id),
    CONSTRAINT sf_job_result_job FOREIGN KEY (job_id) REFERENCES sf_job (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS sf_job_step (
    job_id      BIGINT       NOT NULL,
    name        VARCHAR(200) NOT NULL,
    result      MEDIUMTEXT   NOT NULL,
    recorded_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (job_id, name),
    CONSTRAINT sf_job_step_job FOREIGN KEY (job_id) REFERENCES sf_job (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- The kept tail of what a Java handler logged in one attempt (context.log), and how many bytes it logged in all.
CREATE TABLE IF NOT EXISTS sf_job_log (
    job_id     BIGINT       NOT NULL,
    attempt    INT          NOT NULL,
    log        MEDIUMTEXT   NOT NULL,
    log_bytes  BIGINT       NOT NULL,
    updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (job_id, attempt),
    CONSTRAINT sf_job_log_job FOREIGN KEY (job_id) REFERENCES sf_job (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

ALTER TABLE sf_job
    ADD COLUMN progress_fraction DOUBLE       NULL,
    ADD COLUMN progress_message  VARCHAR(500) NULL,
    ADD COLUMN progress_at       TIMESTAMP(3) NULL;
