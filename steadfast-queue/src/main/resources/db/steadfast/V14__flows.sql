-- Groups and flows (batches, chains, workflows): what a job's exit from running needs to know in its own transaction.
-- batch_id: the batch this job is a member of (set at insert, never changed); dependents: how many jobs wait for
-- this one to succeed. 'waiting' (a new stored state) is a job that is neither pending nor claimable: it waits for
-- its parents, or stands in for a batch.
ALTER TABLE sf_job
    ADD COLUMN batch_id   BIGINT NULL,
    ADD COLUMN dependents INT    NOT NULL DEFAULT 0,
    ADD KEY sf_job_batch (batch_id, state);
