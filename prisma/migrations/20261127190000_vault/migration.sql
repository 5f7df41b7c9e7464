-- Vault: the master-key check and per-version policy compliance.
CREATE TABLE "system_settings" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "system_settings_pkey" PRIMARY KEY ("key")
);

ALTER TABLE "credential_versions" ADD COLUMN "compliant" BOOLEAN;
