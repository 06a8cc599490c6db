CREATE SCHEMA "puffle";
--> statement-breakpoint
CREATE TABLE "puffle"."account" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text,
	"full_name" text,
	"first_name" text,
	"last_name" text,
	"profile" jsonb,
	"can_manage_auth" boolean,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "puffle"."campaign_leads" (
	"id" text PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"user_id" text,
	"status" text,
	"email" text,
	"linkedin_url" text,
	"first_name" text,
	"last_name" text,
	"name" text,
	"company" text,
	"position" text,
	"headline" text,
	"custom_fields" jsonb,
	"source" text,
	"source_ref" text,
	"current_node_id" text,
	"bounced_at" timestamp with time zone,
	"replied_at" timestamp with time zone,
	"created_at" timestamp with time zone,
	"updated_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "puffle"."campaign_messages" (
	"id" text PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"prospect_id" text,
	"node_id" text,
	"subject" text,
	"body_text" text,
	"body_html" text,
	"status" text,
	"manually_edited" boolean,
	"created_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "puffle"."campaign_senders" (
	"campaign_id" text NOT NULL,
	"account_id" text NOT NULL,
	"display_name" text,
	"email_address" text,
	"profile_url" text,
	"status" text,
	"type" text,
	"is_premium" boolean,
	"warmup_status" text,
	"weekly_connection_limit" integer,
	"weekly_message_limit" integer,
	"daily_limit" integer,
	"weekly_connections_sent" integer,
	"weekly_messages_sent" integer,
	"committed_count" integer,
	"campaign_messages_sent" integer,
	"today_sent" integer,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone,
	CONSTRAINT "campaign_senders_campaign_id_account_id_pk" PRIMARY KEY("campaign_id","account_id")
);
--> statement-breakpoint
CREATE TABLE "puffle"."campaign_sequence_nodes" (
	"id" text PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"position" integer,
	"type" text,
	"subject" text,
	"body" text,
	"body_html" text,
	"signature" text,
	"from_name" text,
	"reply_to" text,
	"cc" jsonb,
	"bcc" jsonb,
	"attachments" jsonb,
	"include_message" boolean,
	"is_reply" boolean,
	"delay_days" integer,
	"delay_hours" integer,
	"delay_minutes" integer,
	"ai_node" jsonb,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "puffle"."campaigns" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text,
	"type" text,
	"name" text,
	"status" text,
	"daily_limit" integer,
	"stop_on_reply" boolean,
	"open_tracking" boolean,
	"signature" text,
	"skip_other_campaigns" boolean,
	"operating_hours" jsonb,
	"stats" jsonb,
	"sender_accounts" jsonb,
	"node_count" integer,
	"created_at" timestamp with time zone,
	"updated_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "puffle"."email_accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text,
	"type" text,
	"display_name" text,
	"status" text,
	"provider_account_id" text,
	"profile_url" text,
	"is_premium" boolean,
	"has_sales_navigator" boolean,
	"weekly_connection_limit" integer,
	"weekly_message_limit" integer,
	"daily_limit" integer,
	"email_address" text,
	"domain_id" text,
	"agentmail_inbox_id" text,
	"instantly_account_id" text,
	"instantly_tag_id" text,
	"instantly_warmup_tag_id" text,
	"warmup_status" text,
	"first_name" text,
	"last_name" text,
	"signature" text,
	"email_domains" jsonb,
	"created_at" timestamp with time zone,
	"updated_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "puffle"."email_domains" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text,
	"domain" text,
	"agentmail_domain_id" text,
	"status" text,
	"dns_records" jsonb,
	"verified_at" timestamp with time zone,
	"created_at" timestamp with time zone,
	"updated_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "puffle"."enrichment_items" (
	"id" text PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"lead_id" text,
	"list_id" text,
	"membership_id" text,
	"status" text,
	"result" jsonb,
	"skipped_reason" text,
	"error" jsonb,
	"attempts" integer,
	"metadata" jsonb,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone,
	"updated_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "puffle"."enrichment_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"status" text,
	"mode" text,
	"enrichment_id" text,
	"enrichment_slug" text,
	"list_id" text,
	"enrichment" jsonb,
	"scope" jsonb,
	"output" jsonb,
	"cost" jsonb,
	"trigger" jsonb,
	"error" jsonb,
	"cancelled_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone,
	"updated_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "puffle"."enrichments" (
	"id" text PRIMARY KEY NOT NULL,
	"slug" text,
	"name" text,
	"description" text,
	"subject" text,
	"version" text,
	"enabled" boolean,
	"visibility" text,
	"input_schema" jsonb,
	"output_schema" jsonb,
	"default_output" jsonb,
	"default_output_attribute_key" text,
	"output_override_policy" text,
	"cost_model" jsonb,
	"tool_binding" jsonb,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "puffle"."lead_search_results" (
	"task_id" text NOT NULL,
	"id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone,
	CONSTRAINT "lead_search_results_task_id_id_pk" PRIMARY KEY("task_id","id")
);
--> statement-breakpoint
CREATE TABLE "puffle"."lead_search_tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text,
	"status" text,
	"status_url" text,
	"result_list_id" text,
	"list_id" text,
	"prompt" text,
	"title" text,
	"filters" jsonb,
	"result_count" integer,
	"error_message" text,
	"created_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "puffle"."leads" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text,
	"full_name" text,
	"name" jsonb,
	"title" text,
	"company_name" text,
	"company_domain" text,
	"company" jsonb,
	"location" jsonb,
	"lists" jsonb,
	"sources" jsonb,
	"socials" jsonb,
	"contacts" jsonb,
	"attributes" jsonb,
	"created_at" timestamp with time zone,
	"updated_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "puffle"."list_leads" (
	"list_id" text NOT NULL,
	"id" text NOT NULL,
	"type" text,
	"full_name" text,
	"name" jsonb,
	"title" text,
	"company_name" text,
	"company_domain" text,
	"company" jsonb,
	"location" jsonb,
	"lists" jsonb,
	"sources" jsonb,
	"socials" jsonb,
	"contacts" jsonb,
	"attributes" jsonb,
	"created_at" timestamp with time zone,
	"updated_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone,
	CONSTRAINT "list_leads_list_id_id_pk" PRIMARY KEY("list_id","id")
);
--> statement-breakpoint
CREATE TABLE "puffle"."lists" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text,
	"name" text,
	"description" text,
	"lead_count" integer,
	"person_count" integer,
	"company_count" integer,
	"row_count" integer,
	"enrichment_status" text,
	"active_search_task_id" text,
	"active_search_id" text,
	"search_filters" jsonb,
	"created_at" timestamp with time zone,
	"updated_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "puffle"."rejected_records" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "puffle"."rejected_records_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"run_id" text,
	"stream" text NOT NULL,
	"partition" text NOT NULL,
	"reason" text NOT NULL,
	"raw" jsonb NOT NULL,
	"rejected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "puffle"."research_people" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text,
	"first_name" text,
	"last_name" text,
	"linkedin_url" text,
	"role" text,
	"company" text,
	"company_domain" text,
	"photo_url" text,
	"status" text,
	"last_enriched_at" timestamp with time zone,
	"created_at" timestamp with time zone,
	"updated_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "puffle"."senders" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text,
	"type" text,
	"display_name" text,
	"status" text,
	"provider_account_id" text,
	"profile_url" text,
	"is_premium" boolean,
	"has_sales_navigator" boolean,
	"weekly_connection_limit" integer,
	"weekly_message_limit" integer,
	"daily_limit" integer,
	"email_address" text,
	"domain_id" text,
	"agentmail_inbox_id" text,
	"instantly_account_id" text,
	"instantly_tag_id" text,
	"instantly_warmup_tag_id" text,
	"warmup_status" text,
	"first_name" text,
	"last_name" text,
	"signature" text,
	"email_domains" jsonb,
	"created_at" timestamp with time zone,
	"updated_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "puffle"."signal_leads" (
	"group_by" text NOT NULL,
	"id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone,
	CONSTRAINT "signal_leads_group_by_id_pk" PRIMARY KEY("group_by","id")
);
--> statement-breakpoint
CREATE TABLE "puffle"."signal_searches" (
	"id" text PRIMARY KEY NOT NULL,
	"status" text,
	"created_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "puffle"."signal_types" (
	"id" text PRIMARY KEY NOT NULL,
	"label" text,
	"description" text,
	"kind" text,
	"enabled" boolean,
	"built_in" boolean,
	"keywords" jsonb,
	"disqualifiers" jsonb,
	"config" jsonb,
	"config_schema" jsonb,
	"search_instructions" text,
	"scoring_criteria" text,
	"sources" jsonb,
	"created_at" timestamp with time zone,
	"updated_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "puffle"."signals" (
	"id" text PRIMARY KEY NOT NULL,
	"signal_type_id" text,
	"signal_type_label" text,
	"signal_type" text,
	"source_id" text,
	"source" text,
	"score" double precision,
	"confidence" double precision,
	"title" text,
	"formatted_title" text,
	"excerpt" text,
	"text" text,
	"reasoning" text,
	"url" text,
	"source_url" text,
	"comment" text,
	"dm_text" text,
	"comment_text" text,
	"author_name" text,
	"author_url" text,
	"label" text,
	"color" text,
	"status" text,
	"dismissed" boolean,
	"group_key" text,
	"entity_id" text,
	"person_entity_id" text,
	"entity_domain" text,
	"entity" jsonb,
	"person_entity" jsonb,
	"entity_company" jsonb,
	"entity_person" jsonb,
	"entity_metadata" jsonb,
	"classification" jsonb,
	"structured_wording" jsonb,
	"suggested_actions" jsonb,
	"workflow_run" jsonb,
	"action_state" jsonb,
	"normalized" jsonb,
	"created_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "puffle"."sync_runs" (
	"run_id" text NOT NULL,
	"stream" text NOT NULL,
	"trigger" text NOT NULL,
	"status" text NOT NULL,
	"streams" jsonb,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"pages" integer DEFAULT 0 NOT NULL,
	"records_read" integer DEFAULT 0 NOT NULL,
	"inserted" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"deleted" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"retries" integer DEFAULT 0 NOT NULL,
	"rate_limited" integer DEFAULT 0 NOT NULL,
	"rate_limit_wait_seconds" double precision DEFAULT 0 NOT NULL,
	"cursor_before" text,
	"cursor_after" text,
	"error_class" text,
	"error_message" text,
	CONSTRAINT "sync_runs_run_id_stream_pk" PRIMARY KEY("run_id","stream")
);
--> statement-breakpoint
CREATE TABLE "puffle"."sync_state" (
	"stream" text NOT NULL,
	"partition" text NOT NULL,
	"walk_id" text NOT NULL,
	"resume" jsonb,
	"complete" boolean DEFAULT false NOT NULL,
	"pages" integer DEFAULT 0 NOT NULL,
	"high_water" text,
	"walk_fingerprint" text,
	"parent_fingerprint" text,
	"run_id" text,
	"started_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sync_state_stream_partition_pk" PRIMARY KEY("stream","partition")
);
--> statement-breakpoint
CREATE TABLE "puffle"."thread_messages" (
	"id" text PRIMARY KEY NOT NULL,
	"thread_id" text NOT NULL,
	"user_id" text,
	"conversation_id" text,
	"campaign_id" text,
	"direction" text,
	"message_type" text,
	"subject" text,
	"body_text" text,
	"body_html" text,
	"sender_name" text,
	"sender_identifier" text,
	"external_id" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "puffle"."threads" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text,
	"account_id" text,
	"channel" text,
	"status" text,
	"inbox_state" text,
	"external_id" text,
	"participant_name" text,
	"participant_email" text,
	"participant_linkedin_url" text,
	"participant_company" text,
	"last_message_at" timestamp with time zone,
	"last_message_snippet" text,
	"last_message_direction" text,
	"unread_count" integer,
	"created_at" timestamp with time zone,
	"updated_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "puffle"."walk_seen" (
	"stream" text NOT NULL,
	"partition" text NOT NULL,
	"walk_id" text NOT NULL,
	"pk" text NOT NULL,
	CONSTRAINT "walk_seen_stream_partition_walk_id_pk_pk" PRIMARY KEY("stream","partition","walk_id","pk")
);
--> statement-breakpoint
CREATE INDEX "campaign_leads_campaign_id_idx" ON "puffle"."campaign_leads" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "campaign_leads_created_at_idx" ON "puffle"."campaign_leads" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "campaign_leads_email_idx" ON "puffle"."campaign_leads" USING btree ("email");--> statement-breakpoint
CREATE INDEX "campaign_leads_status_idx" ON "puffle"."campaign_leads" USING btree ("status");--> statement-breakpoint
CREATE INDEX "campaign_messages_campaign_id_idx" ON "puffle"."campaign_messages" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "campaign_messages_prospect_id_idx" ON "puffle"."campaign_messages" USING btree ("prospect_id");--> statement-breakpoint
CREATE INDEX "campaign_messages_created_at_idx" ON "puffle"."campaign_messages" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "campaign_senders_account_id_idx" ON "puffle"."campaign_senders" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "campaign_sequence_nodes_campaign_id_idx" ON "puffle"."campaign_sequence_nodes" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "campaigns_created_at_idx" ON "puffle"."campaigns" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "campaigns_status_idx" ON "puffle"."campaigns" USING btree ("status");--> statement-breakpoint
CREATE INDEX "email_accounts_domain_id_idx" ON "puffle"."email_accounts" USING btree ("domain_id");--> statement-breakpoint
CREATE INDEX "enrichment_items_run_id_idx" ON "puffle"."enrichment_items" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "enrichment_items_lead_id_idx" ON "puffle"."enrichment_items" USING btree ("lead_id");--> statement-breakpoint
CREATE INDEX "enrichment_runs_status_idx" ON "puffle"."enrichment_runs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "lead_search_tasks_created_at_idx" ON "puffle"."lead_search_tasks" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "leads_created_at_idx" ON "puffle"."leads" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "leads_company_domain_idx" ON "puffle"."leads" USING btree ("company_domain");--> statement-breakpoint
CREATE INDEX "list_leads_id_idx" ON "puffle"."list_leads" USING btree ("id");--> statement-breakpoint
CREATE INDEX "list_leads_created_at_idx" ON "puffle"."list_leads" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "lists_created_at_idx" ON "puffle"."lists" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "rejected_records_run_id_idx" ON "puffle"."rejected_records" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "rejected_records_stream_idx" ON "puffle"."rejected_records" USING btree ("stream");--> statement-breakpoint
CREATE INDEX "signal_searches_created_at_idx" ON "puffle"."signal_searches" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "signals_created_at_idx" ON "puffle"."signals" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "signals_signal_type_id_idx" ON "puffle"."signals" USING btree ("signal_type_id");--> statement-breakpoint
CREATE INDEX "signals_entity_id_idx" ON "puffle"."signals" USING btree ("entity_id");--> statement-breakpoint
CREATE INDEX "sync_runs_started_at_idx" ON "puffle"."sync_runs" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "thread_messages_thread_id_idx" ON "puffle"."thread_messages" USING btree ("thread_id");--> statement-breakpoint
CREATE INDEX "thread_messages_campaign_id_idx" ON "puffle"."thread_messages" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "thread_messages_sent_at_idx" ON "puffle"."thread_messages" USING btree ("sent_at");--> statement-breakpoint
CREATE INDEX "threads_account_id_idx" ON "puffle"."threads" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "threads_last_message_at_idx" ON "puffle"."threads" USING btree ("last_message_at");--> statement-breakpoint
CREATE INDEX "threads_created_at_idx" ON "puffle"."threads" USING btree ("created_at");