CREATE TABLE "policy_sets" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"version" text NOT NULL,
	"files" jsonb NOT NULL,
	"author" text NOT NULL,
	"message" text,
	"examples_passed" integer NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "policy_sets_version_idx" ON "policy_sets" USING btree ("version");