-- Audit streaming: how far each destination (syslog, JSON lines) has been sent along the audit
-- trail. The trail itself is the outbox: events are appended in seq order under the chain lock,
-- so a cursor over seq never skips a row that commits later. The lease keeps two processes from
-- sending to one destination at once.
CREATE TABLE "audit_stream_cursors" (
  "destination" TEXT NOT NULL,
  "delivered_seq" BIGINT NOT NULL,
  "lease_owner" TEXT,
  "lease_until" TIMESTAMPTZ(3),
  "failures" INTEGER NOT NULL DEFAULT 0,
  "last_error" TEXT,
  "delivered_at" TIMESTAMPTZ(3),
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CONSTRAINT "audit_stream_cursors_pkey" PRIMARY KEY ("destination")
);
