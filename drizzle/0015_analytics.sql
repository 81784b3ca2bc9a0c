CREATE TABLE "activity_daily" (
	"activity_id" uuid NOT NULL,
	"content_version" integer NOT NULL,
	"day" date NOT NULL,
	"completed" integer DEFAULT 0 NOT NULL,
	"passed" integer DEFAULT 0 NOT NULL,
	"ratio_sum" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "activity_daily_activity_id_content_version_day_pk" PRIMARY KEY("activity_id","content_version","day")
);
--> statement-breakpoint
CREATE TABLE "activity_score_bands" (
	"activity_id" uuid NOT NULL,
	"content_version" integer NOT NULL,
	"band" smallint NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "activity_score_bands_activity_id_content_version_band_pk" PRIMARY KEY("activity_id","content_version","band")
);
--> statement-breakpoint
CREATE TABLE "attempt_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "attempt_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"sign" smallint NOT NULL,
	"activity_id" uuid NOT NULL,
	"content_version" integer NOT NULL,
	"completed_at" timestamp with time zone NOT NULL,
	"score" integer NOT NULL,
	"max_score" integer,
	"passed" boolean NOT NULL,
	"feedback" jsonb,
	"response" jsonb
);
--> statement-breakpoint
CREATE TABLE "choice_picks" (
	"activity_id" uuid NOT NULL,
	"content_version" integer NOT NULL,
	"question_id" text NOT NULL,
	"choice_id" text NOT NULL,
	"band" smallint NOT NULL,
	"picks" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "choice_picks_activity_id_content_version_question_id_choice_id_band_pk" PRIMARY KEY("activity_id","content_version","question_id","choice_id","band")
);
--> statement-breakpoint
CREATE TABLE "question_stats" (
	"activity_id" uuid NOT NULL,
	"content_version" integer NOT NULL,
	"question_id" text NOT NULL,
	"responses" integer DEFAULT 0 NOT NULL,
	"correct" integer DEFAULT 0 NOT NULL,
	"rest_sum" bigint DEFAULT 0 NOT NULL,
	"rest_squares" bigint DEFAULT 0 NOT NULL,
	"correct_rest_sum" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "question_stats_activity_id_content_version_question_id_pk" PRIMARY KEY("activity_id","content_version","question_id")
);
--> statement-breakpoint
CREATE TABLE "skill_state_bands" (
	"skill_id" uuid NOT NULL,
	"status" "skill_state_status" NOT NULL,
	"band" smallint NOT NULL,
	"learners" integer DEFAULT 0 NOT NULL,
	"passed_one" integer DEFAULT 0 NOT NULL,
	"passed_all" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "skill_state_bands_skill_id_status_band_pk" PRIMARY KEY("skill_id","status","band")
);
--> statement-breakpoint
CREATE TABLE "skill_state_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "skill_state_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"sign" smallint NOT NULL,
	"skill_id" uuid NOT NULL,
	"status" "skill_state_status" NOT NULL,
	"mastery_score" double precision NOT NULL,
	"progress" double precision NOT NULL
);
--> statement-breakpoint
ALTER TABLE "activity_daily" ADD CONSTRAINT "activity_daily_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_score_bands" ADD CONSTRAINT "activity_score_bands_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "choice_picks" ADD CONSTRAINT "choice_picks_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "question_stats" ADD CONSTRAINT "question_stats_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skill_state_bands" ADD CONSTRAINT "skill_state_bands_skill_id_skills_id_fk" FOREIGN KEY ("skill_id") REFERENCES "public"."skills"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Score and mastery bands, one definition for the cron and for reads computed from raw rows:
-- tenths, the top band closed (a ratio of 1 is in band 9).
CREATE FUNCTION "score_band"(score integer, max_score integer) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN max_score > 0 THEN least(greatest(floor(score::float8 / max_score * 10), 0), 9) ELSE 0 END::smallint
$$;--> statement-breakpoint
CREATE FUNCTION "mastery_band"(mastery double precision) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT least(greatest(floor(mastery * 10), 0), 9)::smallint
$$;--> statement-breakpoint
-- The change log of completed attempts: −1 with the old values of a completed attempt that goes or
-- changes, +1 with the new values of one that appears or changes. An update that leaves what the
-- analytics read as it was (a merge moving attempts to another learner) logs nothing.
CREATE FUNCTION "log_attempt_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  same boolean := TG_OP = 'UPDATE' AND OLD.status = 'completed' AND NEW.status = 'completed'
    AND (OLD.activity_id, OLD.content_version, OLD.completed_at, OLD.score, OLD.max_score, OLD.passed, OLD.feedback, OLD.response)
      IS NOT DISTINCT FROM
      (NEW.activity_id, NEW.content_version, NEW.completed_at, NEW.score, NEW.max_score, NEW.passed, NEW.feedback, NEW.response);
BEGIN
  IF same THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' AND OLD.status = 'completed' THEN
    INSERT INTO attempt_changes (sign, activity_id, content_version, completed_at, score, max_score, passed, feedback, response)
    VALUES (-1, OLD.activity_id, OLD.content_version, OLD.completed_at, OLD.score, OLD.max_score, OLD.passed, OLD.feedback, OLD.response);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.status = 'completed' THEN
    INSERT INTO attempt_changes (sign, activity_id, content_version, completed_at, score, max_score, passed, feedback, response)
    VALUES (1, NEW.activity_id, NEW.content_version, NEW.completed_at, NEW.score, NEW.max_score, NEW.passed, NEW.feedback, NEW.response);
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
-- Only completed attempts matter: starting one (an insert in progress) runs no function at all.
CREATE TRIGGER "attempts_log_insert" AFTER INSERT ON "attempts" FOR EACH ROW
  WHEN (NEW.status = 'completed') EXECUTE FUNCTION "log_attempt_change"();--> statement-breakpoint
CREATE TRIGGER "attempts_log_update" AFTER UPDATE ON "attempts" FOR EACH ROW
  WHEN (OLD.status = 'completed' OR NEW.status = 'completed') EXECUTE FUNCTION "log_attempt_change"();--> statement-breakpoint
CREATE TRIGGER "attempts_log_delete" AFTER DELETE ON "attempts" FOR EACH ROW
  WHEN (OLD.status = 'completed') EXECUTE FUNCTION "log_attempt_change"();--> statement-breakpoint
-- The change log of skill states: −1 old, +1 new, when the status, the mastery band or the passes move.
CREATE FUNCTION "log_skill_state_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.skill_id, OLD.status, mastery_band(OLD.mastery_score), OLD.progress > 0, OLD.progress >= 1)
      IS NOT DISTINCT FROM (NEW.skill_id, NEW.status, mastery_band(NEW.mastery_score), NEW.progress > 0, NEW.progress >= 1) THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO skill_state_changes (sign, skill_id, status, mastery_score, progress)
    VALUES (-1, OLD.skill_id, OLD.status, OLD.mastery_score, OLD.progress);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO skill_state_changes (sign, skill_id, status, mastery_score, progress)
    VALUES (1, NEW.skill_id, NEW.status, NEW.mastery_score, NEW.progress);
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "skill_states_log_change" AFTER INSERT OR UPDATE OR DELETE ON "skill_states" FOR EACH ROW
  EXECUTE FUNCTION "log_skill_state_change"();--> statement-breakpoint
-- What exists already is logged once, as if it had just appeared: the cron builds the aggregates.
INSERT INTO "attempt_changes" (sign, activity_id, content_version, completed_at, score, max_score, passed, feedback, response)
SELECT 1, activity_id, content_version, completed_at, score, max_score, passed, feedback, response
FROM "attempts" WHERE status = 'completed';--> statement-breakpoint
INSERT INTO "skill_state_changes" (sign, skill_id, status, mastery_score, progress)
SELECT 1, skill_id, status, mastery_score, progress FROM "skill_states";
