-- The audit trail becomes tamper-evident against someone with database access alone
-- (apps/api/src/modules/audit/README.md): a keyed chain, a signed head kept apart from the
-- events, signed checkpoints of it, and triggers refusing UPDATE, DELETE and TRUNCATE.

-- Which MAC each row's hash is: 0 = the unkeyed SHA-256 of the rows written before this
-- migration (kept as they are; accepted only before the first keyed row), 1 = HMAC-SHA256 under
-- the chain key. New rows always name theirs, so there is no default.
ALTER TABLE "audit_events" ADD COLUMN "mac_version" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "audit_events" ALTER COLUMN "mac_version" DROP DEFAULT;

-- The newest point of the chain, one row, updated in the transaction of every append.
CREATE TABLE "audit_head" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "seq" BIGINT NOT NULL,
    "count" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "mac" TEXT NOT NULL,
    CONSTRAINT "audit_head_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "audit_head_one_row" CHECK ("id" = 1)
);

-- Signed copies of the head, appended every so many events or minutes.
CREATE TABLE "audit_checkpoints" (
    "id" BIGSERIAL NOT NULL,
    "seq" BIGINT NOT NULL,
    "count" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "mac" TEXT NOT NULL,
    CONSTRAINT "audit_checkpoints_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "audit_checkpoints_seq_idx" ON "audit_checkpoints"("seq");

-- Append-only, enforced by the database: a DBA can still disable the triggers, which verify
-- then detects by the chain, the head and the checkpoints. (audit_events_append_only and
-- audit_events_no_update are the init migration's.)
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"();

CREATE FUNCTION "audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER "audit_checkpoints_no_update" BEFORE UPDATE OR DELETE ON "audit_checkpoints"
  FOR EACH ROW EXECUTE FUNCTION "audit_append_only"();
CREATE TRIGGER "audit_checkpoints_no_truncate" BEFORE TRUNCATE ON "audit_checkpoints"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_append_only"();
-- The head is updated in place, but never deleted.
CREATE TRIGGER "audit_head_no_delete" BEFORE DELETE ON "audit_head"
  FOR EACH ROW EXECUTE FUNCTION "audit_append_only"();
CREATE TRIGGER "audit_head_no_truncate" BEFORE TRUNCATE ON "audit_head"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_append_only"();
