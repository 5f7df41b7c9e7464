-- Reports: since when an account has had its status ("Not in sync since …"). Kept by a trigger,
-- so every writer of the status (the worker's completions, a reset, a vault-only change) keeps it
-- without knowing about it.
ALTER TABLE "accounts" ADD COLUMN "status_since" TIMESTAMPTZ(3);

-- Before this column, the last check is the best estimate of when the status was set.
UPDATE "accounts" SET "status_since" = COALESCE("last_checked_at", "created_at");

ALTER TABLE "accounts" ALTER COLUMN "status_since" SET DEFAULT now();
ALTER TABLE "accounts" ALTER COLUMN "status_since" SET NOT NULL;

CREATE FUNCTION "accounts_status_since"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."status" IS DISTINCT FROM OLD."status" THEN
    NEW."status_since" := now();
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "accounts_status_since" BEFORE UPDATE OF "status" ON "accounts"
  FOR EACH ROW EXECUTE FUNCTION "accounts_status_since"();

-- The Not in sync report reads one status, oldest first.
CREATE INDEX "accounts_status_status_since_id_idx" ON "accounts"("status", "status_since", "id");
