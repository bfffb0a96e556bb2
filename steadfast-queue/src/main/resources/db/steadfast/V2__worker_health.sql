-- What each worker's database connections lived through (losses, heals, dead connections replaced,
-- units given up), written with its heartbeat so that a dashboard in another process can show it.
CREATE TABLE IF NOT EXISTS sf_worker_health (
    worker_id     VARCHAR(128) NOT NULL PRIMARY KEY,
    losses        BIGINT       NOT NULL DEFAULT 0,
    heals         BIGINT       NOT NULL DEFAULT 0,
    evictions     BIGINT       NOT NULL DEFAULT 0,
    gave_up       BIGINT       NOT NULL DEFAULT 0,
    last_heal     TIMESTAMP(3) NULL,
    updated_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
