CREATE TABLE "thread_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"forum_id" text NOT NULL,
	"thread_id" text NOT NULL,
	"reason" text NOT NULL,
	"target_author_id" text,
	"details" jsonb NOT NULL,
	"decision_ids" jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" text,
	"note" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "thread_alerts_open_uq" ON "thread_alerts" USING btree ("forum_id","thread_id") WHERE "thread_alerts"."status" = 'open';--> statement-breakpoint
CREATE INDEX "thread_alerts_forum_idx" ON "thread_alerts" USING btree ("forum_id","status","opened_at");--> statement-breakpoint
CREATE INDEX "revisions_thread_idx" ON "revisions" USING btree ("forum_id","thread_id","received_at");