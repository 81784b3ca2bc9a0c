-- The plans of `npm run bench -- --scale` asked for these: attempts by learner, newest first (no sort),
-- and by learner and activity (no filtering through all of a learner's attempts). Both lead with
-- learner_id, so the single-column index on it goes.
DROP INDEX "attempts_learner_id_idx";--> statement-breakpoint
CREATE INDEX "attempts_learner_started_idx" ON "attempts" USING btree ("learner_id","started_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "attempts_learner_activity_idx" ON "attempts" USING btree ("learner_id","activity_id","status");