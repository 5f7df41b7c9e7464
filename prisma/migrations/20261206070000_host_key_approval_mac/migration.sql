-- An approval of a host key is signed: an HMAC, under a key derived from the installation's
-- audit key (itself stored only wrapped under the master key), over the target, the key's
-- fingerprint and the address and port it was approved for. A job trusts only approvals whose
-- signature holds, so someone with the database but not the master key can neither mark a key
-- of their own host APPROVED nor point a target elsewhere and keep its trust. Approvals made
-- before this migration carry no signature: such keys must be approved again.
ALTER TABLE "target_host_keys" ADD COLUMN "approval_mac" TEXT;
