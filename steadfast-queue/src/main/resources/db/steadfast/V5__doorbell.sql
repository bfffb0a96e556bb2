-- A worker listening for wake-ups on its host's loopback says where: producers on the same host send it one
-- datagram with its token after they commit a job, so an idle worker starts the job at once instead of at its
-- next poll. Both NULL for workers that do not listen (older versions, or wake-ups turned off).
ALTER TABLE sf_worker
    ADD COLUMN wake_port  INT         NULL,
    ADD COLUMN wake_token VARCHAR(64) NULL;
