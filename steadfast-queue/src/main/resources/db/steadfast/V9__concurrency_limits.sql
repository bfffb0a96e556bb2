-- At most max_running jobs with the same concurrency key run at once, across all workers. running counts the claimed
-- jobs with the key that have not finished: a claim takes a slot (only while one is free) in the transaction that
-- claims, and every way out of running gives it back in the transaction that records it, so the count cannot drift.
ALTER TABLE sf_job ADD COLUMN concurrency_key VARCHAR(191) NULL;
CREATE TABLE IF NOT EXISTS sf_concurrency (
    concurrency_key VARCHAR(191) NOT NULL PRIMARY KEY,
    max_running     INT          NOT NULL,
    running         INT          NOT NULL DEFAULT 0,
    updated_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
