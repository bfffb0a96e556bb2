-- One id space: a failed job is a row of sf_job in state 'failed'; sf_failed_job holds the details of its
-- last error, keyed by job id. The payload lives in sf_job only (older rows keep their copy).
ALTER TABLE sf_failed_job MODIFY payload LONGTEXT NULL;

-- Attempt history and unique-key matches, one statement so that it applies whole or not at all.
-- attempt_started_at: set by the claim; attempt_log: one JSON line per finished attempt, appended by the
-- statement that records the outcome (no extra round trip); enqueue_matches: enqueues that found this job
-- already holding their unique key.
ALTER TABLE sf_job
    ADD COLUMN attempt_started_at TIMESTAMP(3) NULL,
    ADD COLUMN attempt_log        TEXT         NULL,
    ADD COLUMN enqueue_matches    INT          NOT NULL DEFAULT 0;
