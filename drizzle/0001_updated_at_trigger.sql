-- Keep updated_at current on every UPDATE, including raw SQL that Drizzle's $onUpdate never sees.
CREATE FUNCTION "set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW."updated_at" := now();
	RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "skills_set_updated_at" BEFORE UPDATE ON "skills" FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();--> statement-breakpoint
CREATE TRIGGER "units_set_updated_at" BEFORE UPDATE ON "units" FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();--> statement-breakpoint
CREATE TRIGGER "activities_set_updated_at" BEFORE UPDATE ON "activities" FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();--> statement-breakpoint
CREATE TRIGGER "skill_states_set_updated_at" BEFORE UPDATE ON "skill_states" FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();
