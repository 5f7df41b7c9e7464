-- The jobs table is the job queue: a worker claims due jobs with FOR UPDATE SKIP LOCKED and
-- holds each under a lease (locked_by, locked_until) that one heartbeat per worker process
-- renews. A job whose lease lapsed (its worker died) is claimed again by another worker.
-- `queue` names the queue a job belongs to: one per installation ('default'); several
-- installations (test runs) sharing one database each use their own.
ALTER TABLE "jobs" ADD COLUMN "queue" TEXT NOT NULL DEFAULT 'default',
  ADD COLUMN "locked_by" TEXT,
  ADD COLUMN "locked_until" TIMESTAMPTZ(3);

-- What a claim reads: the jobs a worker may still run, oldest due first.
DROP INDEX "jobs_unfinished_idx";
CREATE INDEX "jobs_claimable_idx" ON "jobs" ("queue", "run_after", "id") WHERE "state" IN ('queued', 'running', 'unverified');
-- What a heartbeat renews: the jobs a worker holds.
CREATE INDEX "jobs_locked_by_idx" ON "jobs" ("locked_by") WHERE "locked_by" IS NOT NULL;

-- New jobs wake the workers of their queue (LISTEN passman_jobs_queued): one notice per
-- statement and queue, however many jobs it inserts; sent at commit.
CREATE FUNCTION "passman_jobs_queued"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('passman_jobs_queued', q."queue") FROM (SELECT DISTINCT "queue" FROM "new_jobs" WHERE "state" = 'queued') q;
  RETURN NULL;
END
$$;
CREATE TRIGGER "jobs_queued" AFTER INSERT ON "jobs" REFERENCING NEW TABLE AS "new_jobs" FOR EACH STATEMENT EXECUTE FUNCTION "passman_jobs_queued"();

-- pg-boss carried "run job X" messages before; the jobs table alone says what is due now.
DROP SCHEMA IF EXISTS "pgboss" CASCADE;
