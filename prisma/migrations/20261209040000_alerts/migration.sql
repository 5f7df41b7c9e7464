-- Alerts (conditions an operations team must hear about) and the webhooks that carry them out.

-- 1. Configuring webhooks is an administrator's: their secrets sign what PassMan sends.
UPDATE "roles" SET "permissions" = array_append("permissions", 'webhooks.manage')
 WHERE "name" = 'admin' AND NOT ('webhooks.manage' = ANY ("permissions"));

CREATE TYPE "alert_rule" AS ENUM ('rotation_overdue', 'not_in_sync', 'job_unverified', 'checkout_overdue', 'host_key_changed');
CREATE TYPE "alert_state" AS ENUM ('open', 'resolved');
CREATE TYPE "webhook_delivery_state" AS ENUM ('pending', 'delivered', 'failed');

-- 2. Alerts: one per rule and object while it is open; resolved ones stay as history.
CREATE TABLE "alerts" (
  "id" UUID NOT NULL,
  "rule" "alert_rule" NOT NULL,
  "state" "alert_state" NOT NULL DEFAULT 'open',
  "account_id" UUID REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "target_id" UUID NOT NULL REFERENCES "targets"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  -- The account, or the target for rules about a target: what an alert is deduplicated on.
  "object_id" UUID NOT NULL,
  "summary" TEXT NOT NULL,
  "details" JSONB NOT NULL DEFAULT '{}',
  "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "resolved_at" TIMESTAMPTZ(3),
  CONSTRAINT "alerts_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "alerts_object" CHECK ("object_id" = coalesce("account_id", "target_id")),
  CONSTRAINT "alerts_resolved" CHECK (("state" = 'resolved') = ("resolved_at" IS NOT NULL))
);
-- Two evaluations racing open one alert: the second insert finds this index taken.
CREATE UNIQUE INDEX "alerts_one_open" ON "alerts"("rule", "object_id") WHERE "state" = 'open';
CREATE INDEX "alerts_opened_at_id_idx" ON "alerts"("opened_at", "id");
CREATE INDEX "alerts_account_id_idx" ON "alerts"("account_id");
CREATE INDEX "alerts_target_id_idx" ON "alerts"("target_id");

-- 3. Who has read which alert (the notification bell is per user).
CREATE TABLE "alert_reads" (
  "alert_id" UUID NOT NULL REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "user_id" UUID NOT NULL REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "read_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CONSTRAINT "alert_reads_pkey" PRIMARY KEY ("alert_id", "user_id")
);
CREATE INDEX "alert_reads_user_id_idx" ON "alert_reads"("user_id");

-- 4. Webhooks; the secret sealed under the master key (it must be read back to sign).
CREATE TABLE "webhooks" (
  "id" UUID NOT NULL,
  "name" TEXT NOT NULL,
  "url" TEXT NOT NULL,
  "secret_sealed" TEXT NOT NULL,
  "rules" "alert_rule"[],
  "enabled" BOOLEAN NOT NULL DEFAULT true,
  "created_by_id" UUID REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updated_at" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "webhooks_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "webhooks_name_key" ON "webhooks"("name");

-- 5. The outbox: one row per event and webhook, written in the transaction that made the event,
--    so nothing is lost on a restart; workers claim due rows with FOR UPDATE SKIP LOCKED.
CREATE TABLE "webhook_deliveries" (
  "id" UUID NOT NULL,
  "webhook_id" UUID NOT NULL REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "event_id" UUID NOT NULL,
  "event_type" TEXT NOT NULL,
  "payload" JSONB NOT NULL,
  "state" "webhook_delivery_state" NOT NULL DEFAULT 'pending',
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "locked_until" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries"("next_attempt_at") WHERE "state" = 'pending';
CREATE INDEX "webhook_deliveries_webhook_id_idx" ON "webhook_deliveries"("webhook_id");

-- 6. The delivery log: every attempt, its answer and how long it took (never the secret).
CREATE TABLE "webhook_attempts" (
  "id" UUID NOT NULL,
  "delivery_id" UUID NOT NULL REFERENCES "webhook_deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "webhook_id" UUID NOT NULL REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "attempt" INTEGER NOT NULL,
  "status_code" INTEGER,
  "duration_ms" INTEGER NOT NULL,
  "error" TEXT,
  "at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CONSTRAINT "webhook_attempts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "webhook_attempts_webhook_id_at_id_idx" ON "webhook_attempts"("webhook_id", "at", "id");
CREATE INDEX "webhook_attempts_delivery_id_idx" ON "webhook_attempts"("delivery_id");
