CREATE TABLE "puffle"."list_messages" (
	"id" text PRIMARY KEY NOT NULL,
	"list_id" text NOT NULL,
	"role" text,
	"content" text,
	"tool_calls" jsonb,
	"tool_result" jsonb,
	"created_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone,
	"_changes" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "puffle"."signal_keywords" (
	"id" text PRIMARY KEY NOT NULL,
	"keyword" text,
	"signal_type_id" text,
	"signal_type_label" text,
	"match_count" integer,
	"signal_count" integer,
	"avg_score" double precision,
	"top_score" double precision,
	"last_matched_at" timestamp with time zone,
	"created_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone,
	"_changes" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "puffle"."signal_type_sources" (
	"signal_type_id" text NOT NULL,
	"source_id" text NOT NULL,
	"enabled" boolean,
	"keywords_extra" jsonb,
	"prompt_override" text,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone,
	"_changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "signal_type_sources_signal_type_id_source_id_pk" PRIMARY KEY("signal_type_id","source_id")
);
--> statement-breakpoint
CREATE TABLE "puffle"."source_configs" (
	"source_id" text PRIMARY KEY NOT NULL,
	"enabled" boolean,
	"config" jsonb,
	"updated_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone,
	"_changes" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "puffle"."campaign_account_usage" (
	"campaign_id" text NOT NULL,
	"account_id" text NOT NULL,
	"date" date NOT NULL,
	"email" text,
	"daily_limit" integer,
	"sent_today" integer,
	"status" text,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone,
	"_changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "campaign_account_usage_campaign_id_account_id_date_pk" PRIMARY KEY("campaign_id","account_id","date")
);
--> statement-breakpoint
CREATE TABLE "puffle"."sender_limits" (
	"id" text NOT NULL,
	"date" date NOT NULL,
	"type" text,
	"display_name" text,
	"email_address" text,
	"status" text,
	"is_premium" boolean,
	"daily_limit" integer,
	"weekly_connection_limit" integer,
	"weekly_message_limit" integer,
	"limits" jsonb,
	"weekly_stats" jsonb,
	"daily_stats" jsonb,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone,
	"_changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "sender_limits_id_date_pk" PRIMARY KEY("id","date")
);
--> statement-breakpoint
CREATE TABLE "puffle"."campaign_weekly_stats" (
	"week_start" date NOT NULL,
	"channel" text NOT NULL,
	"connection_sent" integer,
	"connected" integer,
	"message_sent" integer,
	"sent" integer,
	"replied" integer,
	"bounced" integer,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone,
	"_changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "campaign_weekly_stats_week_start_channel_pk" PRIMARY KEY("week_start","channel")
);
--> statement-breakpoint
CREATE INDEX "list_messages_list_id_idx" ON "puffle"."list_messages" USING btree ("list_id");--> statement-breakpoint
CREATE INDEX "list_messages_created_at_idx" ON "puffle"."list_messages" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "signal_keywords_signal_type_id_idx" ON "puffle"."signal_keywords" USING btree ("signal_type_id");--> statement-breakpoint
CREATE INDEX "campaign_account_usage_account_id_idx" ON "puffle"."campaign_account_usage" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "campaign_account_usage_date_idx" ON "puffle"."campaign_account_usage" USING btree ("date");--> statement-breakpoint
CREATE INDEX "sender_limits_date_idx" ON "puffle"."sender_limits" USING btree ("date");