-- A version may hold the value of an older one, put back by a restore: its origin says so and
-- `restored_from` names the version whose value it holds, so the history reads as it happened.
ALTER TYPE "secret_origin" ADD VALUE 'RESTORED';
ALTER TABLE "credential_versions" ADD COLUMN "restored_from" INTEGER;
