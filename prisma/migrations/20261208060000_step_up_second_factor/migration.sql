-- When a session last proved a second factor (a login's second step or a re-authentication with
-- one): creating an API token asks a user who has a factor for one within the step-up window.
-- Sessions open before this migration have proven none here, so they are asked once.
ALTER TABLE "sessions" ADD COLUMN "second_factor_at" TIMESTAMPTZ(3);
