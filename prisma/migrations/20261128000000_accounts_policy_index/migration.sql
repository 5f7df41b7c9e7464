-- The accounts of a policy, in id order: re-assessing their compliance when the policy changes
-- reads them a page at a time (apps/api/src/modules/credentials/credentials.repo.ts,
-- secretsToAssess); a policy's account count and the ON DELETE SET NULL of a deleted policy
-- find them here too, instead of reading every account.
CREATE INDEX "accounts_policy_id_id_idx" ON "accounts"("policy_id", "id");
