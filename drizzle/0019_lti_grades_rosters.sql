CREATE TABLE "lti_contexts" (
	"platform_id" uuid NOT NULL,
	"context_id" text NOT NULL,
	"class_id" uuid NOT NULL,
	"memberships_url" text,
	"synced_at" timestamp with time zone,
	CONSTRAINT "lti_contexts_pkey" PRIMARY KEY("platform_id","context_id"),
	CONSTRAINT "lti_contexts_class_unique" UNIQUE("class_id")
);
--> statement-breakpoint
CREATE TABLE "lti_grade_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"platform_id" uuid NOT NULL,
	"learner_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"resource_link_id" text NOT NULL,
	"target_kind" text NOT NULL,
	"target_id" uuid NOT NULL,
	"line_item_url" text,
	"line_items_url" text,
	"label" text NOT NULL,
	"sent_at" timestamp with time zone,
	"covered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lti_grade_links_learner_link_unique" UNIQUE("learner_id","platform_id","resource_link_id"),
	CONSTRAINT "lti_grade_links_target_kind" CHECK ("lti_grade_links"."target_kind" IN ('activity', 'unit', 'skill')),
	CONSTRAINT "lti_grade_links_line_item" CHECK ("lti_grade_links"."line_item_url" IS NOT NULL OR "lti_grade_links"."line_items_url" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "lti_scores" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"link_id" uuid NOT NULL,
	"score" double precision NOT NULL,
	"scored_at" timestamp with time zone NOT NULL,
	"last_error" text,
	"failed_at" timestamp with time zone,
	CONSTRAINT "lti_scores_score_range" CHECK ("lti_scores"."score" BETWEEN 0 AND 100)
);
--> statement-breakpoint
ALTER TABLE "lti_contexts" ADD CONSTRAINT "lti_contexts_platform_id_lti_platforms_id_fk" FOREIGN KEY ("platform_id") REFERENCES "public"."lti_platforms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lti_contexts" ADD CONSTRAINT "lti_contexts_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lti_grade_links" ADD CONSTRAINT "lti_grade_links_platform_id_lti_platforms_id_fk" FOREIGN KEY ("platform_id") REFERENCES "public"."lti_platforms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lti_grade_links" ADD CONSTRAINT "lti_grade_links_learner_id_learners_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."learners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lti_scores" ADD CONSTRAINT "lti_scores_link_id_lti_grade_links_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."lti_grade_links"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lti_grade_links_learner_target_idx" ON "lti_grade_links" USING btree ("learner_id","target_kind","target_id");--> statement-breakpoint
CREATE INDEX "lti_scores_link_idx" ON "lti_scores" USING btree ("link_id","scored_at");