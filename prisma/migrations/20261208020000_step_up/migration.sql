-- When a session last proved who its user is (login or re-authentication): step-up asks for the
-- password again before sensitive actions once this is older than the step-up window. Sessions
-- open before this migration count as authenticated when they logged in.
ALTER TABLE "sessions" ADD COLUMN "authenticated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now();
UPDATE "sessions" SET "authenticated_at" = "created_at";
