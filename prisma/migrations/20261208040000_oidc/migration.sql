-- OpenID Connect logins under way: state, nonce and PKCE verifier, single use and short-lived,
-- found by the hash of the value in the browser's cookie.
CREATE TABLE "oidc_login_states" (
  "id" UUID NOT NULL,
  "browser_hash" TEXT NOT NULL,
  "state" TEXT NOT NULL,
  "nonce" TEXT NOT NULL,
  "code_verifier" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "expires_at" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "oidc_login_states_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "oidc_login_states_browser_hash_key" ON "oidc_login_states"("browser_hash");
CREATE INDEX "oidc_login_states_expires_at_idx" ON "oidc_login_states"("expires_at");
