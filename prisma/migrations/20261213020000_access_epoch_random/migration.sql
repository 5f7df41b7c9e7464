-- The access epoch takes a random value at each change instead of counting up. Processes compare
-- it only for equality, to tell whether a reach they keep still stands. A counter would hand out
-- the same value again after the database was set back in time (restored from a backup, or failed
-- over to a replica that had not received the last commits) and then changed once more: a reach
-- kept for that value before the setback, with grants the database no longer holds, would pass as
-- current. 63 random bits make that repeat practically impossible.
CREATE OR REPLACE FUNCTION "access_epoch_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'TRUNCATE' AND NOT EXISTS (SELECT 1 FROM changed) THEN
    RETURN NULL;
  END IF;
  IF current_setting('passman.access_epoch_bumped', true) IS DISTINCT FROM 'on' THEN
    UPDATE "access_epoch"
       SET "value" = (SELECT CASE WHEN r.v = "value" THEN r.v # 1 ELSE r.v END
                        FROM (SELECT ('x' || substr(md5(gen_random_uuid()::text), 1, 16))::bit(64)::bigint & 9223372036854775807 AS v) r)
     WHERE "id" = 1;
    PERFORM set_config('passman.access_epoch_bumped', 'on', true);
  END IF;
  RETURN NULL;
END
$$;
