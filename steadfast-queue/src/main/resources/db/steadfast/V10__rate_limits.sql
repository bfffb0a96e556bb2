-- At most rate_limit jobs of a queue start per rate_period_ms, across all workers: a strict sliding window. The queue
-- has rate_limit permits; a claim takes free ones (free_at passed; SKIP LOCKED, so workers never wait on each other),
-- claims as many jobs as it holds permits and marks each permit it used free again one period after that start. A
-- permit is used at most once per period, so no window of that length ever sees more than rate_limit starts. A
-- stricter limit keeps the starts it remembers counted: the latest in slots below it, older ones in slots above it that
-- no claim uses until the next change of limit clears them.
ALTER TABLE sf_queue ADD COLUMN rate_limit INT NULL;
ALTER TABLE sf_queue ADD COLUMN rate_period_ms BIGINT NULL;
-- A permit is found by a plain read of (queue, free_at), then locked and moved on by its own id: point lookups that
-- lock nothing else (a locking scan of either index would lock rows or gaps the other claims need, and deadlock).
CREATE TABLE IF NOT EXISTS sf_rate_permit (
    id      BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    queue   VARCHAR(64)  NOT NULL,
    slot    INT          NOT NULL,
    free_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE KEY sf_rate_permit_slot (queue, slot),
    KEY sf_rate_permit_free (queue, free_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
