CREATE TABLE IF NOT EXISTS orders (
    id       BIGINT AUTO_INCREMENT PRIMARY KEY,
    customer VARCHAR(64) NOT NULL,
    amount   BIGINT      NOT NULL,
    created  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE = InnoDB;
-- one row per booking job: its id is the key, so a job that ran twice could not book twice (it does not run twice)
CREATE TABLE IF NOT EXISTS ledger (
    job_id   BIGINT PRIMARY KEY,
    order_id BIGINT NOT NULL,
    amount   BIGINT NOT NULL,
    booked   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE = InnoDB;
