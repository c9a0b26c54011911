ALTER TABLE "decisions" ADD COLUMN "author_id" text;--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "escalation" jsonb;--> statement-breakpoint
ALTER TABLE "forums" ADD COLUMN "remedies" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "decisions_forum_author_idx" ON "decisions" USING btree ("forum_id","author_id","decided_at");--> statement-breakpoint
UPDATE "decisions" SET "author_id" = "revisions"."author_id" FROM "revisions" WHERE "revisions"."id" = "decisions"."revision_id";
