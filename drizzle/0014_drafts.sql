-- Drafts: a skill or an activity with no published_at is a draft, which learners never see.
-- Everything that exists was visible to learners, so it is published as of this migration: the
-- column is added with that default (no row is rewritten, no updated_at trigger fires), which is
-- then dropped, so a row created from now on is a draft until an author publishes it.
ALTER TABLE "activities" ADD COLUMN "published_at" timestamp with time zone DEFAULT now();--> statement-breakpoint
ALTER TABLE "activities" ALTER COLUMN "published_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "skills" ADD COLUMN "published_at" timestamp with time zone DEFAULT now();--> statement-breakpoint
ALTER TABLE "skills" ALTER COLUMN "published_at" DROP DEFAULT;
