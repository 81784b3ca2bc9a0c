ALTER TABLE "activities" ADD COLUMN "updated_by" text;--> statement-breakpoint
ALTER TABLE "skills" ADD COLUMN "updated_by" text;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "updated_by" text;