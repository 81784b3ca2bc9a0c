CREATE INDEX "activities_unit_order_idx" ON "activities" USING btree ("unit_id","order","id");--> statement-breakpoint
DROP INDEX "activities_unit_id_idx";