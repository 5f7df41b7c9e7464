-- Multi-factor authentication: second factors (TOTP, WebAuthn), one-time recovery codes, and
-- the short-lived challenges of a two-step login, a passkey registration or a step-up.
CREATE TABLE "mfa_factors" (
  "id" UUID NOT NULL,
  "user_id" UUID NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
  "kind" TEXT NOT NULL CHECK ("kind" IN ('totp', 'webauthn')),
  "name" TEXT NOT NULL,
  "confirmed_at" TIMESTAMPTZ(3),
  "last_used_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "secret_ciphertext" BYTEA,
  "secret_wrapped_key" BYTEA,
  "secret_key_version" INTEGER,
  "last_time_step" BIGINT,
  "credential_id" TEXT,
  "public_key" BYTEA,
  "sign_count" BIGINT,
  "transports" TEXT[],
  CONSTRAINT "mfa_factors_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "mfa_factors_kind_fields" CHECK (
    ("kind" = 'totp' AND "secret_ciphertext" IS NOT NULL AND "secret_wrapped_key" IS NOT NULL AND "secret_key_version" IS NOT NULL)
    OR ("kind" = 'webauthn' AND "credential_id" IS NOT NULL AND "public_key" IS NOT NULL AND "sign_count" IS NOT NULL)
  )
);
CREATE UNIQUE INDEX "mfa_factors_credential_id_key" ON "mfa_factors"("credential_id");
CREATE INDEX "mfa_factors_user_id_idx" ON "mfa_factors"("user_id");

CREATE TABLE "mfa_recovery_codes" (
  "id" UUID NOT NULL,
  "user_id" UUID NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
  "code_hash" TEXT NOT NULL,
  "used_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CONSTRAINT "mfa_recovery_codes_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "mfa_recovery_codes_code_hash_key" ON "mfa_recovery_codes"("code_hash");
CREATE INDEX "mfa_recovery_codes_user_id_idx" ON "mfa_recovery_codes"("user_id");

CREATE TABLE "mfa_challenges" (
  "id" UUID NOT NULL,
  "token_hash" TEXT NOT NULL,
  "user_id" UUID NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
  "purpose" TEXT NOT NULL CHECK ("purpose" IN ('login', 'webauthn-registration', 'step-up')),
  "webauthn_challenge" TEXT,
  "password_stamp" TEXT,
  "expires_at" TIMESTAMPTZ(3) NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CONSTRAINT "mfa_challenges_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "mfa_challenges_token_hash_key" ON "mfa_challenges"("token_hash");
CREATE INDEX "mfa_challenges_user_id_idx" ON "mfa_challenges"("user_id");
CREATE INDEX "mfa_challenges_expires_at_idx" ON "mfa_challenges"("expires_at");
