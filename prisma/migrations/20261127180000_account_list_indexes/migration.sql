-- Account lists at scale (GET /accounts, GET /targets/{id}/accounts; apps/api/src/modules/accounts/accounts.repo.ts).

-- 1. accounts.target_name: a copy of the target's name, so the text filter (username OR
--    target name) and the `target` sort run on this table's indexes instead of a join that
--    defeats them. Triggers keep it exact; the application never writes it.
ALTER TABLE "accounts" ADD COLUMN "target_name" TEXT NOT NULL DEFAULT '';
UPDATE "accounts" a SET "target_name" = t."name" FROM "targets" t WHERE t."id" = a."target_id";

-- On insert (or a change of target), copy the name. FOR SHARE waits for a concurrent rename
-- of the target to commit and then reads the new name, so the copy cannot go stale. An
-- unknown target is left to the foreign key to refuse.
CREATE FUNCTION "accounts_copy_target_name"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  target_name TEXT;
BEGIN
  SELECT "name" INTO target_name FROM "targets" WHERE "id" = NEW."target_id" FOR SHARE;
  IF FOUND THEN
    NEW."target_name" := target_name;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "accounts_copy_target_name" BEFORE INSERT OR UPDATE OF "target_id", "target_name" ON "accounts"
  FOR EACH ROW EXECUTE FUNCTION "accounts_copy_target_name"();

-- On rename, update the copies (in the renaming transaction).
CREATE FUNCTION "targets_propagate_name"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "accounts" SET "target_name" = NEW."name" WHERE "target_id" = NEW."id";
  RETURN NULL;
END
$$;
CREATE TRIGGER "targets_propagate_name" AFTER UPDATE OF "name" ON "targets"
  FOR EACH ROW WHEN (OLD."name" IS DISTINCT FROM NEW."name") EXECUTE FUNCTION "targets_propagate_name"();

CREATE INDEX "accounts_target_name_username_id_idx" ON "accounts"("target_name", "username", "id");
CREATE INDEX "accounts_target_name_trgm" ON "accounts" USING gin ("target_name" gin_trgm_ops);

-- 2. Keyset indexes for the lastCheckedAt sorts. Never-checked accounts sort as the oldest,
--    i.e. on COALESCE(last_checked_at, '-infinity'), paged by a row comparison on (that, id).
--    The second serves the common "status = X, by last check" view. Expression and trigram
--    indexes cannot be written in schema.prisma; they live here only, like those of the init
--    migration (the schema-match test compares columns, unique indexes and foreign keys).
CREATE INDEX "accounts_last_checked_id_idx" ON "accounts" ((COALESCE("last_checked_at", '-infinity'::timestamptz)), "id");
CREATE INDEX "accounts_status_last_checked_id_idx" ON "accounts" ("status", (COALESCE("last_checked_at", '-infinity'::timestamptz)), "id");
