CREATE TABLE "puffle"."webhook_events" (
	"message_id" text PRIMARY KEY NOT NULL,
	"event_type" text NOT NULL,
	"stream" text,
	"object_id" text,
	"expect_status" text,
	"detected_at" timestamp with time zone,
	"event_at" timestamp with time zone,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"run_id" text,
	"synced_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "webhook_events_stream_status_idx" ON "puffle"."webhook_events" USING btree ("stream","status");--> statement-breakpoint
CREATE INDEX "webhook_events_synced_at_idx" ON "puffle"."webhook_events" USING btree ("synced_at");