-- Tokens and sessions record the address of their last use beside its time (written at most
-- once a minute per token or session), and a revoked token keeps why it was revoked: by its
-- owner, by an administrator, or because its user's password, role or status changed.
ALTER TABLE "api_tokens" ADD COLUMN "last_used_ip" TEXT;
ALTER TABLE "api_tokens" ADD COLUMN "revoked_reason" TEXT;
ALTER TABLE "sessions" ADD COLUMN "last_seen_ip" TEXT;

-- Lists of one user's sessions and tokens, newest first, a page at a time.
DROP INDEX "sessions_user_id_idx";
CREATE INDEX "sessions_user_id_created_at_id_idx" ON "sessions"("user_id", "created_at", "id");
DROP INDEX "api_tokens_user_id_idx";
CREATE INDEX "api_tokens_user_id_created_at_id_idx" ON "api_tokens"("user_id", "created_at", "id");

-- The sweep of lapsed login-throttle rows.
CREATE INDEX "login_throttles_window_start_idx" ON "login_throttles"("window_start");
