CREATE TABLE "passkeys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"learner_id" uuid NOT NULL,
	"credential_id" text NOT NULL,
	"public_key" jsonb NOT NULL,
	"algorithm" integer NOT NULL,
	"sign_count" bigint DEFAULT 0 NOT NULL,
	"transports" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"backup_eligible" boolean DEFAULT false NOT NULL,
	"backed_up" boolean DEFAULT false NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "passkeys_credential_id_unique" UNIQUE("credential_id"),
	CONSTRAINT "passkeys_algorithm_supported" CHECK ("passkeys"."algorithm" IN (-7, -257)),
	CONSTRAINT "passkeys_sign_count_u32" CHECK ("passkeys"."sign_count" BETWEEN 0 AND 4294967295)
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"learner_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cookie_renewed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sessions_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "used_challenges" (
	"hash" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "learners" DROP CONSTRAINT "learners_session_id_unique";--> statement-breakpoint
ALTER TABLE "passkeys" ADD CONSTRAINT "passkeys_learner_id_learners_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."learners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_learner_id_learners_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."learners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "passkeys_learner_id_idx" ON "passkeys" USING btree ("learner_id");--> statement-breakpoint
CREATE INDEX "sessions_learner_id_idx" ON "sessions" USING btree ("learner_id");--> statement-breakpoint
CREATE INDEX "sessions_last_used_at_idx" ON "sessions" USING btree ("last_used_at");--> statement-breakpoint
CREATE INDEX "used_challenges_expires_at_idx" ON "used_challenges" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "learners_last_active_at_idx" ON "learners" USING btree ("last_active_at");--> statement-breakpoint
-- Every existing session becomes its learner's first device: same hash, same times, so every cookie
-- in use keeps working and keeps its idle window. (A session revoked before this migration carries a
-- hash nobody holds; it idles out like any other.)
INSERT INTO "sessions" ("learner_id", "token_hash", "label", "created_at", "last_used_at", "cookie_renewed_at")
SELECT "id", "session_id", 'Unknown browser', "created_at", "last_active_at", "cookie_renewed_at" FROM "learners";--> statement-breakpoint
ALTER TABLE "learners" DROP COLUMN "session_id";--> statement-breakpoint
ALTER TABLE "learners" DROP COLUMN "cookie_renewed_at";