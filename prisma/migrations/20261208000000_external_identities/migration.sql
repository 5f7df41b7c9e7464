-- A PassMan user linked to an account in an outside directory or identity provider.
-- The pair (provider, issuer, subject) names that account: issuer is the LDAP server's base DN
-- or the OpenID provider's issuer URL, subject the user's DN or the `sub` claim.
CREATE TABLE "external_identities" (
  "id" UUID NOT NULL,
  "user_id" UUID NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
  "provider" TEXT NOT NULL CHECK ("provider" IN ('ldap', 'oidc')),
  "issuer" TEXT NOT NULL,
  "subject" TEXT NOT NULL,
  "last_seen_at" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CONSTRAINT "external_identities_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "external_identities_provider_issuer_subject_key" ON "external_identities"("provider", "issuer", "subject");
CREATE INDEX "external_identities_user_id_idx" ON "external_identities"("user_id");
