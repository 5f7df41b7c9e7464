-- Jobs: account leases, reset phases, check results, backoff.
ALTER TABLE "accounts" ADD COLUMN "locked_by_job_id" UUID, ADD COLUMN "lock_expires_at" TIMESTAMPTZ(3);
ALTER TABLE "jobs" ADD COLUMN "phase" TEXT NOT NULL DEFAULT 'new',
  ADD COLUMN "results" JSONB NOT NULL DEFAULT '[]',
  ADD COLUMN "run_after" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
-- The recovery sweep looks for unfinished jobs.
CREATE INDEX "jobs_unfinished_idx" ON "jobs" ("run_after") WHERE "state" IN ('queued', 'running', 'unverified');
