-- /metrics on the main port needs the permission metrics.view: admins have it; other roles
-- (and API tokens) get it only when given on purpose, e.g. a token scoped to it for Prometheus.
UPDATE "roles"
SET "permissions" = array_append("permissions", 'metrics.view')
WHERE "name" = 'admin' AND NOT ('metrics.view' = ANY ("permissions"));
