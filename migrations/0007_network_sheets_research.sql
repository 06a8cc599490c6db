CREATE TABLE "puffle"."research_reports" (
	"person_id" text PRIMARY KEY NOT NULL,
	"id" text,
	"version" integer,
	"status" text,
	"content" jsonb,
	"change_summary" jsonb,
	"person" jsonb,
	"generated_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone,
	"_changes" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "puffle"."network_connections" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text,
	"first_name" text,
	"last_name" text,
	"email" text,
	"company" text,
	"position" text,
	"connected_on" date,
	"linkedin_url" text,
	"enriched_at" timestamp with time zone,
	"message_count" integer,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone,
	"_changes" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "puffle"."network_connection_details" (
	"connection_id" text PRIMARY KEY NOT NULL,
	"experience" jsonb,
	"education" jsonb,
	"skills" jsonb,
	"certifications" jsonb,
	"languages" jsonb,
	"projects" jsonb,
	"volunteering" jsonb,
	"publications" jsonb,
	"awards" jsonb,
	"courses" jsonb,
	"messages" jsonb,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone,
	"_changes" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "puffle"."list_columns" (
	"list_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text,
	"prompt" text,
	"response_type" text,
	"source" text,
	"subject" text,
	"is_filter" boolean,
	"position" integer,
	"schema" jsonb,
	"enrichment_type" text,
	"config" jsonb,
	"is_preview" boolean,
	"category" text,
	"built_in_key" text,
	"created_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone,
	"_changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "list_columns_list_id_id_pk" PRIMARY KEY("list_id","id")
);
--> statement-breakpoint
CREATE TABLE "puffle"."list_rows" (
	"list_id" text NOT NULL,
	"id" text NOT NULL,
	"linkedin_url" text,
	"profile_data" jsonb,
	"source" text,
	"added_at" timestamp with time zone,
	"company_row_id" text,
	"company_domain" text,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone,
	"_changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "list_rows_list_id_id_pk" PRIMARY KEY("list_id","id")
);
--> statement-breakpoint
CREATE TABLE "puffle"."list_cells" (
	"list_id" text NOT NULL,
	"row_id" text NOT NULL,
	"column_id" text NOT NULL,
	"id" text,
	"value" jsonb,
	"status" text,
	"reasoning" text,
	"error" jsonb,
	"created_at" timestamp with time zone,
	"updated_at" timestamp with time zone,
	"raw" jsonb NOT NULL,
	"_synced_at" timestamp with time zone NOT NULL,
	"_run_id" text,
	"_deleted_at" timestamp with time zone,
	"_changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "list_cells_list_id_row_id_column_id_pk" PRIMARY KEY("list_id","row_id","column_id")
);
--> statement-breakpoint
CREATE INDEX "network_connections_connected_on_idx" ON "puffle"."network_connections" USING btree ("connected_on");--> statement-breakpoint
CREATE INDEX "list_cells_column_id_idx" ON "puffle"."list_cells" USING btree ("column_id");