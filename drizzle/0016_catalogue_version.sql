CREATE TABLE "skill_catalogue_versions" (
	"skill_id" uuid PRIMARY KEY NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "skill_catalogue_versions" ADD CONSTRAINT "skill_catalogue_versions_skill_id_skills_id_fk" FOREIGN KEY ("skill_id") REFERENCES "public"."skills"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Bumps a skill's catalogue version; a skill deleted in this transaction (a cascade) is left alone.
CREATE FUNCTION bump_catalogue_version(skill uuid) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "skill_catalogue_versions" ("skill_id")
  SELECT skill WHERE EXISTS (SELECT 1 FROM "skills" WHERE "id" = skill)
  ON CONFLICT ("skill_id") DO UPDATE SET "version" = "skill_catalogue_versions"."version" + 1
$$;--> statement-breakpoint
CREATE FUNCTION skills_bump_catalogue_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM bump_catalogue_version(NEW."id");
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "skills_bump_catalogue_version" AFTER INSERT OR UPDATE ON "skills"
  FOR EACH ROW EXECUTE FUNCTION skills_bump_catalogue_version();--> statement-breakpoint
CREATE FUNCTION units_bump_catalogue_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN PERFORM bump_catalogue_version(NEW."skill_id"); END IF;
  IF TG_OP = 'DELETE' OR OLD."skill_id" IS DISTINCT FROM NEW."skill_id" THEN
    PERFORM bump_catalogue_version(OLD."skill_id");
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "units_bump_catalogue_version" AFTER INSERT OR UPDATE OR DELETE ON "units"
  FOR EACH ROW EXECUTE FUNCTION units_bump_catalogue_version();--> statement-breakpoint
CREATE FUNCTION activities_bump_catalogue_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN
    PERFORM bump_catalogue_version((SELECT "skill_id" FROM "units" WHERE "id" = NEW."unit_id"));
  END IF;
  IF TG_OP = 'DELETE' OR OLD."unit_id" IS DISTINCT FROM NEW."unit_id" THEN
    PERFORM bump_catalogue_version((SELECT "skill_id" FROM "units" WHERE "id" = OLD."unit_id"));
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "activities_bump_catalogue_version" AFTER INSERT OR UPDATE OR DELETE ON "activities"
  FOR EACH ROW EXECUTE FUNCTION activities_bump_catalogue_version();--> statement-breakpoint
INSERT INTO "skill_catalogue_versions" ("skill_id") SELECT "id" FROM "skills";
