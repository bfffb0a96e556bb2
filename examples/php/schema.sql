-- one row per order: a retried job, or a second job for the same order, books nothing twice
CREATE TABLE IF NOT EXISTS php_ledger (
    order_id BIGINT PRIMARY KEY,
    job_id   BIGINT NOT NULL,
    amount   BIGINT NOT NULL,
    attempt  INT    NOT NULL,
    booked   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE = InnoDB;
