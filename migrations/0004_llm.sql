ALTER TABLE "decisions" ADD COLUMN "llm" jsonb;--> statement-breakpoint
ALTER TABLE "forums" ADD COLUMN "llm_settings" jsonb DEFAULT '{}'::jsonb NOT NULL;