ALTER TABLE "skill_states" ADD COLUMN "version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "skill_states" ADD COLUMN "due" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "skill_states" ADD COLUMN "stability" double precision;--> statement-breakpoint
ALTER TABLE "skill_states" ADD COLUMN "difficulty" double precision;--> statement-breakpoint
ALTER TABLE "skill_states" ADD COLUMN "card_state" smallint;--> statement-breakpoint
ALTER TABLE "skill_states" ADD COLUMN "scheduled_days" integer;--> statement-breakpoint
ALTER TABLE "skill_states" ADD COLUMN "learning_steps" integer;--> statement-breakpoint
ALTER TABLE "skill_states" ADD COLUMN "reps" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "skill_states" ADD COLUMN "lapses" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "skill_states" ADD COLUMN "last_review" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "skill_states_mastered_due_idx" ON "skill_states" USING btree ("due") WHERE "skill_states"."status" = 'mastered';--> statement-breakpoint
ALTER TABLE "skill_states" ADD CONSTRAINT "skill_states_card_state" CHECK ("skill_states"."card_state" BETWEEN 0 AND 3);--> statement-breakpoint
-- Mastery until now meant "every activity passed", with no review card: such states start over as in progress.
UPDATE "skill_states" SET "status" = 'in_progress' WHERE "status" IN ('mastered', 'review_needed');--> statement-breakpoint
ALTER TABLE "skill_states" ADD CONSTRAINT "skill_states_mastered_has_due" CHECK ("skill_states"."status" NOT IN ('mastered', 'review_needed') OR "skill_states"."due" IS NOT NULL);