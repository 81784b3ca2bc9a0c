ALTER TABLE "learners" ADD COLUMN "cookie_renewed_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- One open attempt per learner and activity from now on: of earlier duplicates, the newest stays open.
UPDATE "attempts" SET "status" = 'abandoned'
WHERE "status" = 'in_progress' AND "id" NOT IN (
	SELECT DISTINCT ON ("learner_id", "activity_id") "id" FROM "attempts"
	WHERE "status" = 'in_progress' ORDER BY "learner_id", "activity_id", "started_at" DESC, "id" DESC
);--> statement-breakpoint
CREATE UNIQUE INDEX "attempts_one_open_per_activity" ON "attempts" USING btree ("learner_id","activity_id") WHERE "attempts"."status" = 'in_progress';--> statement-breakpoint
CREATE INDEX "attempts_open_started_idx" ON "attempts" USING btree ("started_at") WHERE "attempts"."status" = 'in_progress';