CREATE TABLE "puffle"."held_deletions" (
	"stream" text NOT NULL,
	"partition" text NOT NULL,
	"pks" text[] NOT NULL,
	"held" integer NOT NULL,
	"live" integer NOT NULL,
	"first_held_at" timestamp with time zone NOT NULL,
	"first_held_run_id" text NOT NULL,
	"last_run_id" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "held_deletions_stream_partition_pk" PRIMARY KEY("stream","partition")
);
--> statement-breakpoint
ALTER TABLE "puffle"."sync_runs" ADD COLUMN "held_deletions" integer DEFAULT 0 NOT NULL;