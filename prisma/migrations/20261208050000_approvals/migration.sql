-- Approvals (dual control): a checkout or reset can need a second person's approval.

-- 1. The right to decide others' requests on an object of the vault tree.
ALTER TYPE "vault_action" ADD VALUE IF NOT EXISTS 'approve';

-- 2. The role permission it also needs: administrators and operators have it (each decision still
--    needs the right approve on the account); auditors decide nothing.
UPDATE "roles" SET "permissions" = array_append("permissions", 'approvals.approve')
 WHERE "name" IN ('admin', 'operator') AND NOT ('approvals.approve' = ANY ("permissions"));

CREATE TYPE "approval_state" AS ENUM ('pending', 'approved', 'denied', 'expired', 'used', 'cancelled');

-- 3. Rules: on a folder (everything below it) or on one account, per action.
CREATE TABLE "approval_rules" (
  "id" UUID NOT NULL,
  "folder_id" UUID REFERENCES "folders"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "account_id" UUID REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "action" "vault_action" NOT NULL CHECK ("action" IN ('checkout', 'reset')),
  "max_minutes" INTEGER NOT NULL CHECK ("max_minutes" BETWEEN 1 AND 10080),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updated_at" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "approval_rules_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "approval_rules_one_object" CHECK (num_nonnulls("folder_id", "account_id") = 1)
);
CREATE UNIQUE INDEX "approval_rules_folder_id_action_key" ON "approval_rules"("folder_id", "action");
CREATE UNIQUE INDEX "approval_rules_account_id_action_key" ON "approval_rules"("account_id", "action");

-- 4. Requests and their decisions.
CREATE TABLE "approval_requests" (
  "id" UUID NOT NULL,
  "account_id" UUID NOT NULL REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "action" "vault_action" NOT NULL CHECK ("action" IN ('checkout', 'reset')),
  "requester_id" UUID NOT NULL REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "reason" TEXT NOT NULL,
  "requested_minutes" INTEGER NOT NULL CHECK ("requested_minutes" > 0),
  "max_minutes" INTEGER NOT NULL CHECK ("max_minutes" > 0),
  "state" "approval_state" NOT NULL DEFAULT 'pending',
  "pending_until" TIMESTAMPTZ(3) NOT NULL,
  "decided_by_id" UUID REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE,
  "decided_at" TIMESTAMPTZ(3),
  "comment" TEXT,
  "window_starts_at" TIMESTAMPTZ(3),
  "window_ends_at" TIMESTAMPTZ(3),
  "used_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CONSTRAINT "approval_requests_pkey" PRIMARY KEY ("id"),
  -- Nobody decides their own request: the database refuses it too.
  CONSTRAINT "approval_requests_not_self_decided" CHECK ("decided_by_id" IS NULL OR "decided_by_id" <> "requester_id"),
  CONSTRAINT "approval_requests_window" CHECK (("state" IN ('approved', 'used')) <= ("window_starts_at" IS NOT NULL AND "window_ends_at" IS NOT NULL))
);
CREATE INDEX "approval_requests_account_id_requester_id_action_state_idx" ON "approval_requests"("account_id", "requester_id", "action", "state");
CREATE INDEX "approval_requests_state_pending_until_idx" ON "approval_requests"("state", "pending_until");
CREATE INDEX "approval_requests_requester_id_created_at_idx" ON "approval_requests"("requester_id", "created_at");
