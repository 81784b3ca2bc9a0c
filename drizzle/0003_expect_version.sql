-- Optimistic concurrency inside a batch: a statement that fails the whole transaction when a row's
-- version is not the one the request read. The SQLSTATE LP409 is ours; the API retries on it.
CREATE FUNCTION "expect_version"(actual integer, expected integer) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	IF actual IS DISTINCT FROM expected THEN
		RAISE EXCEPTION 'stale version: expected %, found %', expected, actual USING ERRCODE = 'LP409';
	END IF;
	RETURN true;
END;
$$;
