-- Named assertions inside a batch. A learner write (src/progress/learner-write.ts) states what must
-- hold for it to commit, e.g. `SELECT batch_assert(<condition>, 'skill_state_unchanged')`; when the
-- condition is not true the whole transaction rolls back with SQLSTATE LP409 and the assertion's name
-- in the error's CONSTRAINT field, which the Worker maps to its own answer (retry, 401, replay, 409).
-- The message names the assertion only: it never quotes a value.
CREATE FUNCTION "batch_assert"(condition boolean, reason text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	IF condition IS NOT TRUE THEN
		RAISE EXCEPTION 'assertion failed: %', reason USING ERRCODE = 'LP409', CONSTRAINT = reason;
	END IF;
	RETURN true;
END;
$$;
--> statement-breakpoint
-- Replaced by batch_assert, which says which assertion failed.
DROP FUNCTION "expect_version"(integer, integer);
