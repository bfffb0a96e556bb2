-- The job types each worker handles (comma-separated: NameRule keeps commas out of names), written with its first
-- heartbeat, so that due jobs no live worker handles are named (doctor, stats, the dashboard, a gauge) instead of
-- waiting in silence. NULL: a worker of a version that did not say, taken to handle every type of its queues.
ALTER TABLE sf_worker ADD COLUMN types TEXT NULL;
-- Due jobs by queue and type with their oldest run time: a loose index scan, one seek per queue and type, however
-- many jobs wait (queue and type lead: a loose scan groups by a leading prefix), and a bounded count of one queue's
-- due jobs of one type.
ALTER TABLE sf_job ADD INDEX sf_job_type (queue, type, state, run_at);
