-- An import's real run is a job on the queue (the jobs table), run by any worker process: a job
-- without an account, its import named in `params`. The uploaded file waits for it sealed under
-- the master key, and is deleted when the run ends.
ALTER TYPE "job_kind" ADD VALUE 'IMPORT';
ALTER TABLE "jobs" ALTER COLUMN "account_id" DROP NOT NULL;
-- Text, not the new enum value: a value added in this transaction cannot be used in it.
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_account_per_kind" CHECK ((account_id IS NULL) = (kind::text = 'IMPORT'));

ALTER TABLE "imports" ADD COLUMN "job_id" UUID;
CREATE UNIQUE INDEX "imports_job_id_key" ON "imports"("job_id");

CREATE TABLE "import_uploads" (
    "import_id" UUID NOT NULL,
    "ciphertext" BYTEA NOT NULL,
    "wrapped_key" BYTEA NOT NULL,
    "key_version" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "import_uploads_pkey" PRIMARY KEY ("import_id")
);
ALTER TABLE "import_uploads" ADD CONSTRAINT "import_uploads_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "imports"("id") ON DELETE CASCADE ON UPDATE CASCADE;
