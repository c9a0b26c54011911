CREATE TABLE "review_claims" (
	"decision_id" uuid PRIMARY KEY NOT NULL,
	"key_id" uuid NOT NULL,
	"claimed_by" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"decision_id" uuid NOT NULL,
	"forum_id" text NOT NULL,
	"post_id" text NOT NULL,
	"outcome" text NOT NULL,
	"action" text NOT NULL,
	"labels" text[] NOT NULL,
	"note" text,
	"reviewer_key_id" uuid NOT NULL,
	"reviewer" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "redelivery_of" uuid;--> statement-breakpoint
ALTER TABLE "forums" ADD COLUMN "retention_days" integer;--> statement-breakpoint
ALTER TABLE "revisions" ADD COLUMN "purged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "review_claims" ADD CONSTRAINT "review_claims_decision_id_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_decision_id_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reviews_decision_idx" ON "reviews" USING btree ("decision_id","created_at");--> statement-breakpoint
CREATE INDEX "reviews_forum_idx" ON "reviews" USING btree ("forum_id","created_at");--> statement-breakpoint
CREATE INDEX "decisions_forum_time_idx" ON "decisions" USING btree ("forum_id","decided_at","id");--> statement-breakpoint
CREATE INDEX "revisions_retention_idx" ON "revisions" USING btree ("forum_id","received_at");