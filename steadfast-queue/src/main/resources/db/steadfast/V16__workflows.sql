-- Chains and workflows (#29). A job that runs after others waits in state 'waiting' with unmet = how many of its
-- parents have not succeeded (nor been let through by a failure policy); the parent's end that brings unmet to 0
-- makes it pending, in the transaction that records that end. sf_job.dependents (V14) counts a parent's children.
--
-- sf_job_dependency: one row per edge, keyed both ways (a parent's children when it ends; a child's parents for
-- its page and its parents' results). on_failure: what the child does when this parent fails or is cancelled
-- ('cancel_dependents', 'continue', 'wait'); met: the edge no longer holds the child back (set once, so a parent
-- retried after a 'continue' cannot count twice).
CREATE TABLE IF NOT EXISTS sf_job_dependency (
    parent_id  BIGINT      NOT NULL,
    child_id   BIGINT      NOT NULL,
    on_failure VARCHAR(20) NOT NULL,
    met        TINYINT     NOT NULL DEFAULT 0,
    PRIMARY KEY (parent_id, child_id),
    KEY sf_job_dependency_child (child_id, parent_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- A workflow: a named DAG of steps declared at once. Its state is derived from its steps' (no counter row that every
-- step's end would update); cancelled_at records that it was cancelled as a whole.
CREATE TABLE IF NOT EXISTS sf_workflow (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name         VARCHAR(200) NOT NULL,
    on_failure   VARCHAR(20)  NOT NULL,
    steps        INT          NOT NULL,
    created_at   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    cancelled_at TIMESTAMP(3) NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- A step is a job: its workflow and its name there (unique per workflow; NULLs for jobs of no workflow). No state in
-- this index, so a state change of any job costs it nothing. cancelled_by: the parent whose failure cancelled this
-- waiting job (policy cancel_dependents), so that a retry of that parent brings it back and a reader can say why.
ALTER TABLE sf_job
    ADD COLUMN unmet       INT          NOT NULL DEFAULT 0,
    ADD COLUMN workflow_id BIGINT       NULL,
    ADD COLUMN step_name   VARCHAR(100) NULL,
    ADD COLUMN cancelled_by BIGINT      NULL,
    ADD UNIQUE KEY sf_job_workflow_step (workflow_id, step_name);

-- the census counts waiting jobs too (est_flags bit 64: waiting is an estimate)
ALTER TABLE sf_queue_census ADD COLUMN waiting BIGINT NOT NULL DEFAULT 0;
