-- Host-key trust follows the address. A pinned key vouches for the host at one address and
-- port; where a key was last seen is kept so an approver knows what they pin, and approving is
-- its own permission (targets.trust), apart from editing targets (targets.manage): whoever may
-- point a target elsewhere may not also vouch for the host found there.
ALTER TABLE "target_host_keys" ADD COLUMN "seen_address" TEXT;
ALTER TABLE "target_host_keys" ADD COLUMN "seen_port" INTEGER;
ALTER TABLE "target_host_keys" ADD COLUMN "last_seen_at" TIMESTAMPTZ(3);

-- The built-in roles that approved host keys until now (with targets.manage) keep doing so.
UPDATE "roles" SET "permissions" = array_append("permissions", 'targets.trust')
 WHERE "name" IN ('admin', 'operator') AND NOT ('targets.trust' = ANY("permissions"));
