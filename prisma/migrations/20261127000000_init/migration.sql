-- PassMan initial schema (hand-written in Prisma's layout; see prisma/src/schema-match.test.ts).

-- CreateEnum
CREATE TYPE "connector_kind" AS ENUM ('ssh');
CREATE TYPE "host_key_status" AS ENUM ('PENDING', 'APPROVED', 'REVOKED');
CREATE TYPE "account_status" AS ENUM ('InSync', 'NotInSync', 'Unknown');
CREATE TYPE "policy_compliance" AS ENUM ('Compliant', 'Noncompliant');
CREATE TYPE "credential_type" AS ENUM ('PASSWORD', 'SSH_KEY', 'PIN');
CREATE TYPE "ssh_key_type" AS ENUM ('ssh-rsa', 'ecdsa-sha2-nistp256', 'ssh-dss', 'ssh-ed25519');
CREATE TYPE "version_state" AS ENUM ('PENDING', 'CURRENT', 'RETIRED', 'FAILED');
CREATE TYPE "secret_origin" AS ENUM ('TYPED', 'GENERATED', 'IMPORTED');
CREATE TYPE "job_kind" AS ENUM ('CHECK', 'RESET', 'CHECKOUT', 'CHECKIN');
CREATE TYPE "job_state" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'unverified');

-- CreateTable
CREATE TABLE "roles" (
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "permissions" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "roles_pkey" PRIMARY KEY ("name")
);

CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role_name" TEXT NOT NULL,
    "disabled_at" TIMESTAMPTZ(3),
    "last_login_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "sessions" (
    "id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "ip" TEXT,
    "user_agent" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "scopes" TEXT[],
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "login_throttles" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "blocked_until" TIMESTAMPTZ(3),
    CONSTRAINT "login_throttles_pkey" PRIMARY KEY ("key")
);

CREATE TABLE "targets" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "port" INTEGER NOT NULL DEFAULT 22,
    "connector_kind" "connector_kind" NOT NULL DEFAULT 'ssh',
    "description" TEXT NOT NULL DEFAULT '',
    "tags" TEXT[],
    "managing_account_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "targets_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "target_host_keys" (
    "id" UUID NOT NULL,
    "target_id" UUID NOT NULL,
    "algorithm" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "public_key" TEXT NOT NULL,
    "status" "host_key_status" NOT NULL DEFAULT 'PENDING',
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "approved_at" TIMESTAMPTZ(3),
    "approved_by_id" UUID,
    CONSTRAINT "target_host_keys_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "accounts" (
    "id" UUID NOT NULL,
    "target_id" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "status" "account_status" NOT NULL DEFAULT 'Unknown',
    "status_reason" TEXT,
    "last_checked_at" TIMESTAMPTZ(3),
    "last_changed_at" TIMESTAMPTZ(3),
    "policy_id" UUID,
    "compliance" "policy_compliance",
    "checked_out_by_id" UUID,
    "checked_out_at" TIMESTAMPTZ(3),
    "checkout_expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "credentials" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "type" "credential_type" NOT NULL,
    "ssh_key_type" "ssh_key_type",
    "slot" TEXT NOT NULL,
    "last_check_ok" BOOLEAN,
    "last_check_code" TEXT,
    "last_checked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "credentials_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "credential_versions" (
    "id" UUID NOT NULL,
    "credential_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "state" "version_state" NOT NULL,
    "origin" "secret_origin" NOT NULL,
    "ciphertext" BYTEA NOT NULL,
    "wrapped_key" BYTEA NOT NULL,
    "key_version" INTEGER NOT NULL,
    "public_key" TEXT,
    "fingerprint" TEXT,
    "key_bits" INTEGER,
    "created_by_id" UUID,
    "job_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "state_changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "credential_versions_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "policies" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "is_default" BOOLEAN NOT NULL DEFAULT false,
    "password_length" INTEGER NOT NULL DEFAULT 20,
    "use_lowercase" BOOLEAN NOT NULL DEFAULT true,
    "use_uppercase" BOOLEAN NOT NULL DEFAULT true,
    "use_digits" BOOLEAN NOT NULL DEFAULT true,
    "use_symbols" BOOLEAN NOT NULL DEFAULT true,
    "min_lowercase" INTEGER NOT NULL DEFAULT 1,
    "min_uppercase" INTEGER NOT NULL DEFAULT 1,
    "min_digits" INTEGER NOT NULL DEFAULT 1,
    "min_symbols" INTEGER NOT NULL DEFAULT 1,
    "excluded_chars" TEXT NOT NULL DEFAULT '',
    "avoid_ambiguous" BOOLEAN NOT NULL DEFAULT false,
    "pin_length" INTEGER NOT NULL DEFAULT 6,
    "ssh_key_type" "ssh_key_type" NOT NULL DEFAULT 'ssh-rsa',
    "ssh_key_bits" INTEGER,
    "rotation_interval_days" INTEGER,
    "checkout_exclusive" BOOLEAN NOT NULL DEFAULT false,
    "checkout_max_minutes" INTEGER,
    "reset_after_checkin" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "policies_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "job_batches" (
    "id" UUID NOT NULL,
    "kind" "job_kind" NOT NULL,
    "requested_by_id" UUID,
    "total" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "job_batches_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "jobs" (
    "id" UUID NOT NULL,
    "kind" "job_kind" NOT NULL,
    "state" "job_state" NOT NULL DEFAULT 'queued',
    "account_id" UUID NOT NULL,
    "credential_id" UUID,
    "batch_id" UUID,
    "requested_by_id" UUID,
    "params" JSONB NOT NULL DEFAULT '{}',
    "pending_version_id" UUID,
    "error_code" TEXT,
    "error_message" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "jobs_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "job_steps" (
    "id" BIGSERIAL NOT NULL,
    "job_id" UUID NOT NULL,
    "step" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "detail" JSONB,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "job_steps_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "audit_events" (
    "seq" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" UUID,
    "actor_name" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "object_type" TEXT NOT NULL,
    "object_id" TEXT,
    "outcome" TEXT NOT NULL,
    "request_id" TEXT,
    "ip" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_username_key" ON "users"("username");
CREATE UNIQUE INDEX "sessions_token_hash_key" ON "sessions"("token_hash");
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");
CREATE INDEX "sessions_expires_at_idx" ON "sessions"("expires_at");
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");
CREATE INDEX "api_tokens_user_id_idx" ON "api_tokens"("user_id");
CREATE UNIQUE INDEX "targets_name_key" ON "targets"("name");
CREATE UNIQUE INDEX "targets_managing_account_id_key" ON "targets"("managing_account_id");
CREATE INDEX "targets_created_at_id_idx" ON "targets"("created_at", "id");
CREATE UNIQUE INDEX "target_host_keys_target_id_fingerprint_key" ON "target_host_keys"("target_id", "fingerprint");
CREATE UNIQUE INDEX "accounts_target_id_username_key" ON "accounts"("target_id", "username");
CREATE INDEX "accounts_username_id_idx" ON "accounts"("username", "id");
CREATE INDEX "accounts_status_username_id_idx" ON "accounts"("status", "username", "id");
CREATE INDEX "accounts_created_at_id_idx" ON "accounts"("created_at", "id");
CREATE UNIQUE INDEX "credentials_account_id_slot_key" ON "credentials"("account_id", "slot");
CREATE UNIQUE INDEX "credential_versions_credential_id_version_key" ON "credential_versions"("credential_id", "version");
CREATE UNIQUE INDEX "policies_name_key" ON "policies"("name");
CREATE INDEX "jobs_account_id_created_at_idx" ON "jobs"("account_id", "created_at");
CREATE INDEX "jobs_batch_id_idx" ON "jobs"("batch_id");
CREATE INDEX "jobs_state_created_at_idx" ON "jobs"("state", "created_at");
CREATE INDEX "job_steps_job_id_id_idx" ON "job_steps"("job_id", "id");
CREATE UNIQUE INDEX "audit_events_hash_key" ON "audit_events"("hash");
CREATE INDEX "audit_events_action_seq_idx" ON "audit_events"("action", "seq");
CREATE INDEX "audit_events_object_type_object_id_seq_idx" ON "audit_events"("object_type", "object_id", "seq");
CREATE INDEX "audit_events_actor_id_seq_idx" ON "audit_events"("actor_id", "seq");

-- Rules Prisma's schema language cannot express (the schema-match test knows them).
-- At most one CURRENT version per credential, and one default policy.
CREATE UNIQUE INDEX "credential_versions_one_current" ON "credential_versions"("credential_id") WHERE "state" = 'CURRENT';
CREATE UNIQUE INDEX "policies_one_default" ON "policies"("is_default") WHERE "is_default";
-- Case-insensitive text search on accounts and targets.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "accounts_username_trgm" ON "accounts" USING gin ("username" gin_trgm_ops);
CREATE INDEX "targets_name_trgm" ON "targets" USING gin ("name" gin_trgm_ops);
-- The audit trail is append-only: updates and deletes are refused by the database itself
-- (a DBA can still disable the trigger, which GET /audit/verify then detects by the chain).
CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only';
END $$;
CREATE TRIGGER "audit_events_no_update" BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_role_name_fkey" FOREIGN KEY ("role_name") REFERENCES "roles"("name") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "targets" ADD CONSTRAINT "targets_managing_account_id_fkey" FOREIGN KEY ("managing_account_id") REFERENCES "accounts"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "target_host_keys" ADD CONSTRAINT "target_host_keys_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "targets"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "targets"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "policies"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "credential_versions" ADD CONSTRAINT "credential_versions_credential_id_fkey" FOREIGN KEY ("credential_id") REFERENCES "credentials"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "job_batches"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "job_steps" ADD CONSTRAINT "job_steps_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Seed the built-in roles. Permissions are the action names of apps/api/src/modules/auth/permissions.ts.
INSERT INTO "roles" ("name", "description", "permissions") VALUES
  ('admin', 'Administers PassMan: users, tokens, targets, policies and every account action',
   ARRAY['accounts.view','accounts.manage','targets.view','targets.manage','credentials.view','credentials.checkout','credentials.check','credentials.reset','credentials.update','policies.view','policies.manage','jobs.view','audit.view','users.manage','tokens.manage']),
  ('operator', 'Works with accounts: check, check out, reset, update',
   ARRAY['accounts.view','accounts.manage','targets.view','targets.manage','credentials.view','credentials.checkout','credentials.check','credentials.reset','credentials.update','policies.view','jobs.view','tokens.manage']),
  ('auditor', 'Reads everything except secrets; reads the audit trail',
   ARRAY['accounts.view','targets.view','credentials.view','policies.view','jobs.view','audit.view','tokens.manage']);
