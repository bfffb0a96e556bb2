-- Batches: jobs enqueued as a group, with callbacks fired once when the group reaches a condition.
-- state: open (members may still be added; the batch cannot end), running, succeeded, failed, cancelled;
-- finished_at is set once, when the batch ended (every member finished after it was closed).
-- total counts members ever added; succeeded/failed/cancelled count finished members, updated in the transaction that
-- ends each member (grouped: one UPDATE per batch per success batch), so pending + running = total - finished and only
-- running is counted from sf_job (index sf_job_batch). callbacks: which callbacks exist (1 on_success, 2 on_complete,
-- 4 on_failure), armed: which may still fire (a fired one is disarmed, retrying failed members re-arms them).
-- parent_id / job_id: a nested batch's parent batch and its stand-in job there (state 'waiting' until this ends).
CREATE TABLE IF NOT EXISTS sf_batch (
    id              BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    state           VARCHAR(16)   NOT NULL,
    description     VARCHAR(255)  NULL,
    total           BIGINT        NOT NULL DEFAULT 0,
    succeeded       BIGINT        NOT NULL DEFAULT 0,
    failed          BIGINT        NOT NULL DEFAULT 0,
    cancelled       BIGINT        NOT NULL DEFAULT 0,
    callbacks       TINYINT       NOT NULL DEFAULT 0,
    armed           TINYINT       NOT NULL DEFAULT 0,
    on_success_job  BIGINT        NULL,
    on_complete_job BIGINT        NULL,
    on_failure_job  BIGINT        NULL,
    parent_id       BIGINT        NULL,
    job_id          BIGINT        NULL,
    created_at      TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at      TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    finished_at     TIMESTAMP(3)  NULL,
    KEY sf_batch_parent (parent_id),
    KEY sf_batch_job (job_id),
    KEY sf_batch_finished (finished_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- The job a callback enqueues when it fires (kind 1 on_success, 2 on_complete, 4 on_failure), copied into sf_job then.
CREATE TABLE IF NOT EXISTS sf_batch_callback (
    batch_id     BIGINT       NOT NULL,
    kind         TINYINT      NOT NULL,
    queue        VARCHAR(64)  NOT NULL,
    type         VARCHAR(128) NOT NULL,
    payload      LONGTEXT     NOT NULL,
    priority     INT          NOT NULL,
    max_attempts INT          NOT NULL,
    timeout_ms   BIGINT       NULL,
    PRIMARY KEY (batch_id, kind)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- A callback job names its batch, so that it can read the batch's summary.
ALTER TABLE sf_job ADD COLUMN callback_of BIGINT NULL;
