-- Recurring jobs. Any worker may enqueue a schedule's due tick: it locks the row (SKIP LOCKED, so workers never wait
-- on each other), inserts the job and moves next_run_at on in the same transaction, so each tick is enqueued exactly
-- once however many workers run, crash or lose their connections; next_run_at proves a commit that was cut off. A
-- paused schedule ticks no more; resumed, it goes on from its next tick after that moment.
CREATE TABLE IF NOT EXISTS sf_schedule (
    name         VARCHAR(128) NOT NULL PRIMARY KEY,
    cron         VARCHAR(255) NULL,
    zone         VARCHAR(64)  NULL,
    every_ms     BIGINT       NULL,
    type         VARCHAR(128) NOT NULL,
    payload      LONGTEXT     NOT NULL,
    queue        VARCHAR(64)  NOT NULL,
    priority     INT          NOT NULL DEFAULT 0,
    max_attempts INT          NOT NULL,
    timeout_ms   BIGINT       NULL,
    missed       VARCHAR(8)   NOT NULL,
    paused       TINYINT(1)   NOT NULL DEFAULT 0,
    next_run_at  TIMESTAMP(3) NOT NULL,
    last_run_at  TIMESTAMP(3) NULL,
    last_job_id  BIGINT       NULL,
    created_at   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    KEY sf_schedule_due (next_run_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
