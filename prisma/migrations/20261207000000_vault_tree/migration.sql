-- The vault tree: the root (the Vault), folders and subfolders holding targets; user groups; and
-- grants of an action on a folder, target or account to a user or a group, ALLOW or DENY.
-- Rights are inherited down the tree and DENY wins (apps/api/src/modules/access/).

-- 1. Folders. The root is the one folder without a parent; a name is unique among its siblings.
CREATE TABLE "folders" (
    "id" UUID NOT NULL,
    "parent_id" UUID,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "folders_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "folders_name_not_blank" CHECK (btrim("name") <> '')
);
CREATE UNIQUE INDEX "folders_parent_id_name_key" ON "folders"("parent_id", "name");
CREATE UNIQUE INDEX "folders_one_root" ON "folders" ((true)) WHERE "parent_id" IS NULL;
ALTER TABLE "folders" ADD CONSTRAINT "folders_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "folders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- 2. The closure of the tree: one row per (ancestor, descendant) pair, a folder being its own
--    ancestor at depth 0. "Everything below F" and "every ancestor of F" are one index range
--    each. Triggers keep it exact; the application never writes it.
CREATE TABLE "folder_closure" (
    "ancestor_id" UUID NOT NULL,
    "descendant_id" UUID NOT NULL,
    "depth" INTEGER NOT NULL,
    CONSTRAINT "folder_closure_pkey" PRIMARY KEY ("ancestor_id", "descendant_id")
);
CREATE INDEX "folder_closure_descendant_id_ancestor_id_idx" ON "folder_closure"("descendant_id", "ancestor_id");
ALTER TABLE "folder_closure" ADD CONSTRAINT "folder_closure_ancestor_id_fkey" FOREIGN KEY ("ancestor_id") REFERENCES "folders"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "folder_closure" ADD CONSTRAINT "folder_closure_descendant_id_fkey" FOREIGN KEY ("descendant_id") REFERENCES "folders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A new folder copies its parent's ancestors. It takes the lock moves take (below), so it never
-- copies them while a move of an ancestor is rewriting them: it waits, then reads what the move left.
CREATE FUNCTION "folders_closure_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('passman.folders.move'));
  INSERT INTO "folder_closure" ("ancestor_id", "descendant_id", "depth") VALUES (NEW."id", NEW."id", 0);
  IF NEW."parent_id" IS NOT NULL THEN
    INSERT INTO "folder_closure" ("ancestor_id", "descendant_id", "depth")
    SELECT c."ancestor_id", NEW."id", c."depth" + 1 FROM "folder_closure" c WHERE c."descendant_id" = NEW."parent_id";
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER "folders_closure_insert" AFTER INSERT ON "folders" FOR EACH ROW EXECUTE FUNCTION "folders_closure_insert"();

-- A move. Moves are serialized by one transaction-scoped advisory lock, so two moves that would
-- each be fine alone (A under B, B under A) cannot together make a cycle; the check runs after
-- the lock, on what committed moves left. The root cannot move, and nothing can become a root.
CREATE FUNCTION "folders_closure_move"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."parent_id" IS NULL OR NEW."parent_id" IS NULL THEN
    RAISE EXCEPTION 'the root folder cannot move and no folder can become a root' USING ERRCODE = 'PM002';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('passman.folders.move'));
  IF EXISTS (SELECT 1 FROM "folder_closure" WHERE "ancestor_id" = NEW."id" AND "descendant_id" = NEW."parent_id") THEN
    RAISE EXCEPTION 'a folder cannot move into itself or below itself' USING ERRCODE = 'PM001';
  END IF;
  -- Cut the subtree from its old ancestors, then hang it under the new parent's.
  DELETE FROM "folder_closure" c
   WHERE c."descendant_id" IN (SELECT "descendant_id" FROM "folder_closure" WHERE "ancestor_id" = NEW."id")
     AND c."ancestor_id" NOT IN (SELECT "descendant_id" FROM "folder_closure" WHERE "ancestor_id" = NEW."id");
  INSERT INTO "folder_closure" ("ancestor_id", "descendant_id", "depth")
  SELECT up."ancestor_id", down."descendant_id", up."depth" + down."depth" + 1
    FROM "folder_closure" up, "folder_closure" down
   WHERE up."descendant_id" = NEW."parent_id" AND down."ancestor_id" = NEW."id";
  RETURN NULL;
END
$$;
CREATE TRIGGER "folders_closure_move" AFTER UPDATE OF "parent_id" ON "folders"
  FOR EACH ROW WHEN (OLD."parent_id" IS DISTINCT FROM NEW."parent_id") EXECUTE FUNCTION "folders_closure_move"();

-- The root, named as PassMan's manual names it until an administrator renames it.
INSERT INTO "folders" ("id", "parent_id", "name", "updated_at") VALUES (gen_random_uuid(), NULL, 'Vault', CURRENT_TIMESTAMP);

-- 3. Targets live in exactly one folder (existing ones in the root); a name is unique in its folder.
ALTER TABLE "targets" ADD COLUMN "folder_id" UUID;
UPDATE "targets" SET "folder_id" = (SELECT "id" FROM "folders" WHERE "parent_id" IS NULL);
ALTER TABLE "targets" ALTER COLUMN "folder_id" SET NOT NULL;
ALTER TABLE "targets" ADD CONSTRAINT "targets_folder_id_fkey" FOREIGN KEY ("folder_id") REFERENCES "folders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
DROP INDEX "targets_name_key";
CREATE UNIQUE INDEX "targets_folder_id_name_key" ON "targets"("folder_id", "name");
CREATE INDEX "targets_name_id_idx" ON "targets"("name", "id");

-- accounts.folder_id: a copy of its target's folder, so account lists filter by folder and by
-- rights on this table's indexes. Kept by triggers as accounts.target_name is; never written by
-- the application.
ALTER TABLE "accounts" ADD COLUMN "folder_id" UUID;
UPDATE "accounts" a SET "folder_id" = t."folder_id" FROM "targets" t WHERE t."id" = a."target_id";
ALTER TABLE "accounts" ALTER COLUMN "folder_id" SET NOT NULL;
CREATE INDEX "accounts_folder_id_username_id_idx" ON "accounts"("folder_id", "username", "id");

-- The copy on insert rides on the trigger that copies the name (one read of the target, FOR SHARE).
-- An unknown target is refused as its foreign key would refuse it (the folder, NOT NULL, would
-- otherwise fail first with a less telling error).
CREATE OR REPLACE FUNCTION "accounts_copy_target_name"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  target_row RECORD;
BEGIN
  SELECT "name", "folder_id" INTO target_row FROM "targets" WHERE "id" = NEW."target_id" FOR SHARE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'insert or update on table "accounts" violates foreign key constraint "accounts_target_id_fkey"'
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'accounts_target_id_fkey', TABLE = 'accounts';
  END IF;
  NEW."target_name" := target_row."name";
  NEW."folder_id" := target_row."folder_id";
  RETURN NEW;
END
$$;
DROP TRIGGER "accounts_copy_target_name" ON "accounts";
CREATE TRIGGER "accounts_copy_target_name" BEFORE INSERT OR UPDATE OF "target_id", "target_name", "folder_id" ON "accounts"
  FOR EACH ROW EXECUTE FUNCTION "accounts_copy_target_name"();

CREATE FUNCTION "targets_propagate_folder"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "accounts" SET "folder_id" = NEW."folder_id" WHERE "target_id" = NEW."id";
  RETURN NULL;
END
$$;
CREATE TRIGGER "targets_propagate_folder" AFTER UPDATE OF "folder_id" ON "targets"
  FOR EACH ROW WHEN (OLD."folder_id" IS DISTINCT FROM NEW."folder_id") EXECUTE FUNCTION "targets_propagate_folder"();

-- 4. User groups and their members.
CREATE TABLE "user_groups" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "user_groups_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "user_groups_name_key" ON "user_groups"("name");

CREATE TABLE "user_group_members" (
    "group_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "user_group_members_pkey" PRIMARY KEY ("group_id", "user_id")
);
CREATE INDEX "user_group_members_user_id_group_id_idx" ON "user_group_members"("user_id", "group_id");
ALTER TABLE "user_group_members" ADD CONSTRAINT "user_group_members_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "user_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "user_group_members" ADD CONSTRAINT "user_group_members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- 5. Grants: exactly one object (folder, target or account) and one principal (user or group).
CREATE TYPE "vault_action" AS ENUM ('view', 'checkout', 'check', 'reset', 'update', 'manage', 'manage_permissions');
CREATE TYPE "grant_effect" AS ENUM ('ALLOW', 'DENY');
CREATE TABLE "grants" (
    "id" UUID NOT NULL,
    "folder_id" UUID,
    "target_id" UUID,
    "account_id" UUID,
    "user_id" UUID,
    "group_id" UUID,
    "action" "vault_action" NOT NULL,
    "effect" "grant_effect" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID,
    CONSTRAINT "grants_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "grants_one_object" CHECK (num_nonnulls("folder_id", "target_id", "account_id") = 1),
    CONSTRAINT "grants_one_principal" CHECK (num_nonnulls("user_id", "group_id") = 1)
);
-- One grant per object, principal and action: ALLOW and DENY of the same action to the same
-- principal on the same object would say two things at once.
CREATE UNIQUE INDEX "grants_object_principal_action" ON "grants" ((COALESCE("folder_id", "target_id", "account_id")), (COALESCE("user_id", "group_id")), "action");
CREATE INDEX "grants_user_id_action_idx" ON "grants"("user_id", "action");
CREATE INDEX "grants_group_id_action_idx" ON "grants"("group_id", "action");
CREATE INDEX "grants_folder_id_idx" ON "grants"("folder_id");
CREATE INDEX "grants_target_id_idx" ON "grants"("target_id");
CREATE INDEX "grants_account_id_idx" ON "grants"("account_id");
ALTER TABLE "grants" ADD CONSTRAINT "grants_folder_id_fkey" FOREIGN KEY ("folder_id") REFERENCES "folders"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "grants" ADD CONSTRAINT "grants_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "targets"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "grants" ADD CONSTRAINT "grants_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "grants" ADD CONSTRAINT "grants_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "grants" ADD CONSTRAINT "grants_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "user_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- 6. Granting rights is a permission of its own: administrators and operators have it (it still
--    needs the right manage_permissions on the object); auditors never change anything.
UPDATE "roles" SET "permissions" = array_append("permissions", 'permissions.manage')
 WHERE "name" IN ('admin', 'operator') AND NOT ('permissions.manage' = ANY ("permissions"));

-- 7. Today's behaviour for today's operators: until now every operator could act on every
--    account their role allows. They become the group "Operators", allowed exactly that on the
--    whole vault; an administrator narrows it by moving grants down the tree. Operators created
--    from now on start with no rights in the tree until they are added to a group or granted some.
INSERT INTO "user_groups" ("id", "name", "description", "updated_at")
VALUES (gen_random_uuid(), 'Operators', 'Every operator when folders and permissions came: allowed on the whole vault what their role allows', CURRENT_TIMESTAMP);
INSERT INTO "user_group_members" ("group_id", "user_id")
SELECT g."id", u."id" FROM "user_groups" g, "users" u WHERE g."name" = 'Operators' AND u."role_name" = 'operator';
INSERT INTO "grants" ("id", "folder_id", "group_id", "action", "effect")
SELECT gen_random_uuid(), f."id", g."id", a.action::"vault_action", 'ALLOW'
  FROM "folders" f, "user_groups" g, unnest(ARRAY['view', 'checkout', 'check', 'reset', 'update', 'manage']) AS a(action)
 WHERE f."parent_id" IS NULL AND g."name" = 'Operators';
