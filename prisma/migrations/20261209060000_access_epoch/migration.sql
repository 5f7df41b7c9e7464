-- One counter that moves whenever what a user's grants reach may have changed: a grant, a group
-- membership, or the shape of the folder tree. A process may keep a user's reach (the lists'
-- filter) as long as this counter has not moved; it reads the counter on every request, so a
-- change made by any process counts from the next request on.
CREATE TABLE "access_epoch" (
  "id" INTEGER NOT NULL DEFAULT 1,
  "value" BIGINT NOT NULL DEFAULT 0,
  CONSTRAINT "access_epoch_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "access_epoch_one_row" CHECK ("id" = 1)
);
INSERT INTO "access_epoch" ("id", "value") VALUES (1, 0);

-- Moves the counter once per transaction, and only for a statement that changed rows (the
-- transition table `changed` holds them): the row lock is then held to the commit, so readers
-- see the new value together with the change.
CREATE FUNCTION "access_epoch_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'TRUNCATE' AND NOT EXISTS (SELECT 1 FROM changed) THEN
    RETURN NULL;
  END IF;
  IF current_setting('passman.access_epoch_bumped', true) IS DISTINCT FROM 'on' THEN
    UPDATE "access_epoch" SET "value" = "value" + 1 WHERE "id" = 1;
    PERFORM set_config('passman.access_epoch_bumped', 'on', true);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "grants_epoch_insert" AFTER INSERT ON "grants" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "access_epoch_bump"();
CREATE TRIGGER "grants_epoch_update" AFTER UPDATE ON "grants" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "access_epoch_bump"();
CREATE TRIGGER "grants_epoch_delete" AFTER DELETE ON "grants" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "access_epoch_bump"();
CREATE TRIGGER "grants_epoch_truncate" AFTER TRUNCATE ON "grants" FOR EACH STATEMENT EXECUTE FUNCTION "access_epoch_bump"();

CREATE TRIGGER "user_group_members_epoch_insert" AFTER INSERT ON "user_group_members" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "access_epoch_bump"();
CREATE TRIGGER "user_group_members_epoch_update" AFTER UPDATE ON "user_group_members" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "access_epoch_bump"();
CREATE TRIGGER "user_group_members_epoch_delete" AFTER DELETE ON "user_group_members" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "access_epoch_bump"();
CREATE TRIGGER "user_group_members_epoch_truncate" AFTER TRUNCATE ON "user_group_members" FOR EACH STATEMENT EXECUTE FUNCTION "access_epoch_bump"();

CREATE TRIGGER "folder_closure_epoch_insert" AFTER INSERT ON "folder_closure" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "access_epoch_bump"();
CREATE TRIGGER "folder_closure_epoch_update" AFTER UPDATE ON "folder_closure" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "access_epoch_bump"();
CREATE TRIGGER "folder_closure_epoch_delete" AFTER DELETE ON "folder_closure" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "access_epoch_bump"();
CREATE TRIGGER "folder_closure_epoch_truncate" AFTER TRUNCATE ON "folder_closure" FOR EACH STATEMENT EXECUTE FUNCTION "access_epoch_bump"();
