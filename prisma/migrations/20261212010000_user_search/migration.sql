-- Searching users (GET /users?q=: a case-insensitive substring of the username or the display
-- name, apps/api/src/modules/users/users.repo.ts). A text few users match is otherwise a read of
-- the whole table: about 2 ms at 2,000 users (where the planner still prefers that), but a
-- quarter of a second at 50,000 (a directory-provisioned estate), on every pause of typing in a
-- picker. Trigram indexes (pg_trgm, created by the init migration) serve ILIKE '%text%' for
-- texts of three characters or more; a common text is still read in username order from the
-- unique index. They cannot be written in schema.prisma and live here only, like the accounts'.
CREATE INDEX "users_username_trgm" ON "users" USING gin ("username" gin_trgm_ops);
CREATE INDEX "users_display_name_trgm" ON "users" USING gin ("display_name" gin_trgm_ops);
