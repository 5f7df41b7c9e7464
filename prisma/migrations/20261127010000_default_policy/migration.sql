-- The default credential policy: what "Generate and Save" uses when an account names none.
INSERT INTO "policies" ("id", "name", "description", "is_default", "updated_at")
VALUES (gen_random_uuid(), 'Default', 'Used by accounts without a policy of their own', true, CURRENT_TIMESTAMP);
