-- A job's own time limit per attempt, in milliseconds (NULL: its type's, or none). A worker interrupts an attempt
-- that runs longer and records it as failed ("timed out"); a handler that ignores the interrupt is reported stuck,
-- and each worker publishes how many of its threads are stuck so.
ALTER TABLE sf_job ADD COLUMN timeout_ms BIGINT NULL;
ALTER TABLE sf_worker ADD COLUMN stuck_jobs INT NOT NULL DEFAULT 0;
