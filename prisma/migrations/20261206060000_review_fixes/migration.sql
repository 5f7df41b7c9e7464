-- A token created with a token remembers its parent, so revoking a token revokes every token
-- made from it (a leaked token must not live on through a child it minted). A parent deleted
-- with its user leaves no dangling reference.
ALTER TABLE "api_tokens" ADD COLUMN "created_by_token_id" UUID;
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_token_id_fkey" FOREIGN KEY ("created_by_token_id") REFERENCES "api_tokens"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "api_tokens_created_by_token_id_idx" ON "api_tokens"("created_by_token_id");
