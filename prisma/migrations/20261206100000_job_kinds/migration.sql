-- CHECKOUT and CHECKIN were never kinds of job: a checkout reveals a secret at once and a
-- check-in at most queues a RESET. The type is made again with the kinds a worker runs.
ALTER TYPE "job_kind" RENAME TO "job_kind_old";
CREATE TYPE "job_kind" AS ENUM ('CHECK', 'RESET');
ALTER TABLE "job_batches" ALTER COLUMN "kind" TYPE "job_kind" USING ("kind"::text::"job_kind");
ALTER TABLE "jobs" ALTER COLUMN "kind" TYPE "job_kind" USING ("kind"::text::"job_kind");
DROP TYPE "job_kind_old";
