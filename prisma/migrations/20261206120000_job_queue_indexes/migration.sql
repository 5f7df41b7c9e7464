-- A claim reads only jobs a worker may still run: an unverified job whose recovery gave up
-- (OUTCOME_UNKNOWN) waits for a person, so it leaves the index instead of being read and
-- passed over by every claim.
DROP INDEX "jobs_claimable_idx";
CREATE INDEX "jobs_claimable_idx" ON "jobs" ("queue", "run_after", "id")
  WHERE "state" IN ('queued', 'running') OR ("state" = 'unverified' AND "error_code" IS DISTINCT FROM 'OUTCOME_UNKNOWN');
-- A heartbeat finds its jobs by id (the primary key): this index only cost a write per claim and end.
DROP INDEX "jobs_locked_by_idx";
