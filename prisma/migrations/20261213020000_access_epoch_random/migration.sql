-- The access epoch takes a random value at each change instead of counting up. Processes compare
-- it only for equality, to tell whether a reach they keep still stands. A counter would hand out
-- the same value again after the database was set back in time (restored from a backup, or failed
-- over to a replica that had not received the last commits) and then changed once more: a reach
-- kept for that value before the setback, with grants the database no longer holds, would pass as
-- current. 62 random bits make that repeat practically impossible.
CREATE OR REPLACE FUNCTION "access_epoch_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'TRUNCATE' AND NOT EXISTS (SELECT 1 FROM changed) THEN
    RETURN NULL;
  END IF;
  IF current_setting('passman.access_epoch_bumped', true) IS DISTINCT FROM 'on' THEN
    -- The last 8 bytes of a random UUID (62 random bits; no md5, which a FIPS build refuses),
    -- never the value it replaces.
    UPDATE "access_epoch" e
       SET "value" = (SELECT CASE WHEN r.v = e."value" THEN r.v # 1 ELSE r.v END
                        FROM (SELECT ('x' || encode(substring(uuid_send(gen_random_uuid()) FROM 9 FOR 8), 'hex'))::bit(64)::bigint
                                     & 9223372036854775807 AS v) r)
     WHERE e."id" = 1;
    PERFORM set_config('passman.access_epoch_bumped', 'on', true);
  END IF;
  RETURN NULL;
END
$$;
