ALTER TABLE "attempts" ADD COLUMN "seed" integer;--> statement-breakpoint
ALTER TABLE "attempts" ADD COLUMN "ordinal" integer;--> statement-breakpoint
ALTER TABLE "attempts" ADD COLUMN "bindings" jsonb;--> statement-breakpoint
ALTER TABLE "attempt_changes" ADD COLUMN "bindings" jsonb;--> statement-breakpoint
-- An attempt's questions, drawn and ordered from the learner's seed for the activity and the attempt's
-- ordinal, as its parameterised instances are: abandoning and starting again draws the same pool
-- selection and order, so re-drawing until an easy selection appears gets nowhere; a completed
-- attempt moves the ordinal, and the next draw is a new one.
CREATE FUNCTION attempt_questions(content jsonb, seed integer, ordinal integer) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  WITH listed AS (
    SELECT q.question, q.position,
      CASE WHEN content ? 'draw' THEN hashtext(seed || ':' || ordinal || ':' || (q.question->>'id')) ELSE 0 END AS lot
    FROM jsonb_array_elements(content->'questions') WITH ORDINALITY AS q(question, position)
  ), drawn AS (
    SELECT question, position FROM listed
    ORDER BY lot, position
    LIMIT coalesce((content->>'draw')::int, 2147483647)
  )
  SELECT coalesce(jsonb_agg(
    jsonb_build_object('id', question->>'id')
      || CASE WHEN question ? 'choices' THEN jsonb_build_object('choices', (
        SELECT jsonb_agg(c.choice->>'id' ORDER BY
          CASE WHEN coalesce((content->>'shuffle')::boolean, false)
            THEN hashtext(seed || ':' || ordinal || ':' || (question->>'id') || ':' || (c.choice->>'id')) ELSE 0 END, c.n)
        FROM jsonb_array_elements(question->'choices') WITH ORDINALITY AS c(choice, n)))
      ELSE '{}'::jsonb END
    ORDER BY CASE WHEN coalesce((content->>'shuffle')::boolean, false)
      THEN hashtext(seed || ':' || ordinal || ':#' || (question->>'id')) ELSE 0 END, position),
    '[]'::jsonb)
  FROM drawn
$$;
--> statement-breakpoint
DROP FUNCTION attempt_questions(jsonb);
--> statement-breakpoint
-- The change log carries each attempt's bindings too: the item analysis counts a parameterised
-- choice question's picks by its authored choices, not by the ids each attempt drew.
CREATE OR REPLACE FUNCTION "log_attempt_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  same boolean := TG_OP = 'UPDATE' AND OLD.status = 'completed' AND NEW.status = 'completed'
    AND (OLD.activity_id, OLD.content_version, OLD.completed_at, OLD.score, OLD.max_score, OLD.passed, OLD.feedback, OLD.response, OLD.bindings)
      IS NOT DISTINCT FROM
      (NEW.activity_id, NEW.content_version, NEW.completed_at, NEW.score, NEW.max_score, NEW.passed, NEW.feedback, NEW.response, NEW.bindings);
BEGIN
  IF same THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' AND OLD.status = 'completed' THEN
    INSERT INTO attempt_changes (sign, activity_id, content_version, completed_at, score, max_score, passed, feedback, response, bindings)
    VALUES (-1, OLD.activity_id, OLD.content_version, OLD.completed_at, OLD.score, OLD.max_score, OLD.passed, OLD.feedback, OLD.response, OLD.bindings);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.status = 'completed' THEN
    INSERT INTO attempt_changes (sign, activity_id, content_version, completed_at, score, max_score, passed, feedback, response, bindings)
    VALUES (1, NEW.activity_id, NEW.content_version, NEW.completed_at, NEW.score, NEW.max_score, NEW.passed, NEW.feedback, NEW.response, NEW.bindings);
  END IF;
  RETURN NULL;
END;
$$;
