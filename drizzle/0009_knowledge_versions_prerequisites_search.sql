-- Trigram matching for search's typo fallback (on Neon and in the local endpoint's PGlite).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "activity_versions" (
	"activity_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"content" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_versions_pkey" PRIMARY KEY("activity_id","version")
);
--> statement-breakpoint
CREATE TABLE "skill_prerequisites" (
	"skill_id" uuid NOT NULL,
	"required_skill_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "skill_prerequisites_pkey" PRIMARY KEY("skill_id","required_skill_id"),
	CONSTRAINT "skill_prerequisites_not_itself" CHECK ("skill_prerequisites"."skill_id" <> "skill_prerequisites"."required_skill_id")
);
--> statement-breakpoint
ALTER TABLE "attempts" DROP CONSTRAINT "attempts_completed_is_graded";--> statement-breakpoint
ALTER TABLE "activities" ADD COLUMN "content_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "activities" ADD COLUMN "search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english', "name"), 'A') || setweight(to_tsvector('english', coalesce("description", '')), 'B') || setweight(to_tsvector('english', coalesce("content"->>'instructions', '')), 'C')) STORED;--> statement-breakpoint
ALTER TABLE "attempts" ADD COLUMN "content_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "attempts" ADD COLUMN "questions" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "attempts" ADD COLUMN "passed" boolean;--> statement-breakpoint
ALTER TABLE "skill_states" ADD COLUMN "unit_knowledge" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "skills" ADD COLUMN "search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english', "name"), 'A') || setweight(to_tsvector('english', coalesce("description", '')), 'B')) STORED;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english', "name"), 'A') || setweight(to_tsvector('english', coalesce("description", '')), 'B')) STORED;--> statement-breakpoint
ALTER TABLE "activity_versions" ADD CONSTRAINT "activity_versions_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skill_prerequisites" ADD CONSTRAINT "skill_prerequisites_skill_id_skills_id_fk" FOREIGN KEY ("skill_id") REFERENCES "public"."skills"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skill_prerequisites" ADD CONSTRAINT "skill_prerequisites_required_skill_id_skills_id_fk" FOREIGN KEY ("required_skill_id") REFERENCES "public"."skills"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "skill_prerequisites_required_idx" ON "skill_prerequisites" USING btree ("required_skill_id");--> statement-breakpoint
CREATE INDEX "activities_search_idx" ON "activities" USING gin ("search");--> statement-breakpoint
CREATE INDEX "activities_name_trgm_idx" ON "activities" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "skills_search_idx" ON "skills" USING gin ("search");--> statement-breakpoint
CREATE INDEX "skills_name_trgm_idx" ON "skills" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "units_search_idx" ON "units" USING gin ("search");--> statement-breakpoint
CREATE INDEX "units_name_trgm_idx" ON "units" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
-- Every activity's content so far is its version 1.
INSERT INTO "activity_versions" ("activity_id", "version", "content", "created_at")
SELECT "id", 1, "content", "created_at" FROM "activities";--> statement-breakpoint
-- An attempt's questions, drawn and ordered when it starts: content.draw picks that many at random,
-- content.shuffle orders questions and choices at random; otherwise all of them, in the content's order.
CREATE FUNCTION attempt_questions(content jsonb) RETURNS jsonb LANGUAGE sql VOLATILE AS $$
  WITH listed AS (
    SELECT q.question, q.position,
      CASE WHEN content ? 'draw' THEN random() ELSE 0 END AS lot
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
          CASE WHEN coalesce((content->>'shuffle')::boolean, false) THEN random() ELSE 0 END, c.n)
        FROM jsonb_array_elements(question->'choices') WITH ORDINALITY AS c(choice, n)))
      ELSE '{}'::jsonb END
    ORDER BY CASE WHEN coalesce((content->>'shuffle')::boolean, false) THEN random() ELSE 0 END, position),
    '[]'::jsonb)
  FROM drawn
$$;--> statement-breakpoint
-- Attempts so far: all of their activity's questions, in order; graded ones passed or not by the
-- passing score they were graded against; their feedback was shown whole, and credited.
UPDATE "attempts" t SET
  "questions" = attempt_questions(a."content"),
  "passed" = CASE WHEN t."status" = 'completed' THEN
    coalesce(t."score"::float8 / nullif(t."max_score", 0), 0) >= coalesce((a."content"->>'passingScore')::float8, 0.7)
  END,
  "feedback" = (
    SELECT jsonb_agg(f || '{"revealed": true, "marked": true, "credited": true}'::jsonb ORDER BY n)
    FROM jsonb_array_elements(t."feedback") WITH ORDINALITY AS x(f, n))
FROM "activities" a WHERE a."id" = t."activity_id";--> statement-breakpoint
-- A change of content is a new version: the old one stays in activity_versions for the attempts
-- started on it. An insert records version 1.
CREATE FUNCTION next_content_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."content" IS DISTINCT FROM OLD."content" THEN
    NEW."content_version" := OLD."content_version" + 1;
  ELSE
    NEW."content_version" := OLD."content_version";
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "activities_next_content_version" BEFORE UPDATE ON "activities"
  FOR EACH ROW EXECUTE FUNCTION next_content_version();--> statement-breakpoint
CREATE FUNCTION keep_content_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "activity_versions" ("activity_id", "version", "content")
  VALUES (NEW."id", NEW."content_version", NEW."content")
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "activities_keep_content_version" AFTER INSERT OR UPDATE OF "content" ON "activities"
  FOR EACH ROW EXECUTE FUNCTION keep_content_version();--> statement-breakpoint
ALTER TABLE "attempts" ADD CONSTRAINT "attempts_completed_is_graded" CHECK ("attempts"."status" <> 'completed' OR ("attempts"."completed_at" IS NOT NULL AND "attempts"."score" IS NOT NULL AND "attempts"."passed" IS NOT NULL));