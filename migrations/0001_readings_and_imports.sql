CREATE TABLE `changed_days` (
	`meter_id` integer NOT NULL,
	`date` text NOT NULL,
	`batch_id` text NOT NULL,
	`changed_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`meter_id`, `date`)
);
--> statement-breakpoint
CREATE TABLE `import_errors` (
	`batch_id` text NOT NULL,
	`line` integer NOT NULL,
	`code` text NOT NULL,
	`message` text NOT NULL,
	`severity` text DEFAULT 'error' NOT NULL,
	PRIMARY KEY(`batch_id`, `line`, `code`),
	FOREIGN KEY (`batch_id`) REFERENCES `import_jobs`(`batch_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `import_jobs` (
	`batch_id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`dry_run` integer DEFAULT false NOT NULL,
	`format` text DEFAULT 'auto' NOT NULL,
	`options` text DEFAULT '{}' NOT NULL,
	`plan` text,
	`file_name` text,
	`r2_key` text NOT NULL,
	`file_offset` integer DEFAULT 0 NOT NULL,
	`file_end` integer DEFAULT 0 NOT NULL,
	`bytes_total` integer DEFAULT 0 NOT NULL,
	`bytes_done` integer DEFAULT 0 NOT NULL,
	`rows_processed` integer DEFAULT 0 NOT NULL,
	`rows_imported` integer DEFAULT 0 NOT NULL,
	`rows_failed` integer DEFAULT 0 NOT NULL,
	`readings_written` integer DEFAULT 0 NOT NULL,
	`ranges_total` integer DEFAULT 0 NOT NULL,
	`ranges_done` integer DEFAULT 0 NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`priority` text DEFAULT 'normal' NOT NULL,
	`notes` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`error` text,
	`source_id` integer,
	`created_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`started_at` text,
	`finished_at` text
);
--> statement-breakpoint
CREATE INDEX `import_jobs_status` ON `import_jobs` (`status`);--> statement-breakpoint
CREATE INDEX `import_jobs_created` ON `import_jobs` (`created_at`);--> statement-breakpoint
CREATE TABLE `readings` (
	`meter_id` integer NOT NULL,
	`date` text NOT NULL,
	`total_kwh` real NOT NULL,
	`period_count` integer,
	`estimated_mask` integer DEFAULT 0 NOT NULL,
	`batch_id` text,
	`p1` real,
	`p2` real,
	`p3` real,
	`p4` real,
	`p5` real,
	`p6` real,
	`p7` real,
	`p8` real,
	`p9` real,
	`p10` real,
	`p11` real,
	`p12` real,
	`p13` real,
	`p14` real,
	`p15` real,
	`p16` real,
	`p17` real,
	`p18` real,
	`p19` real,
	`p20` real,
	`p21` real,
	`p22` real,
	`p23` real,
	`p24` real,
	`p25` real,
	`p26` real,
	`p27` real,
	`p28` real,
	`p29` real,
	`p30` real,
	`p31` real,
	`p32` real,
	`p33` real,
	`p34` real,
	`p35` real,
	`p36` real,
	`p37` real,
	`p38` real,
	`p39` real,
	`p40` real,
	`p41` real,
	`p42` real,
	`p43` real,
	`p44` real,
	`p45` real,
	`p46` real,
	`p47` real,
	`p48` real,
	`p49` real,
	`p50` real,
	PRIMARY KEY(`meter_id`, `date`),
	FOREIGN KEY (`meter_id`) REFERENCES `meters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `uploads` (
	`id` text PRIMARY KEY NOT NULL,
	`r2_key` text NOT NULL,
	`r2_upload_id` text NOT NULL,
	`file_name` text NOT NULL,
	`size` integer NOT NULL,
	`part_size` integer NOT NULL,
	`parts` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`source_id` integer NOT NULL,
	`idempotency_key` text NOT NULL,
	`batch_id` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`source_id`, `idempotency_key`)
);
--> statement-breakpoint
CREATE TABLE `webhook_sources` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`secret_salt` text NOT NULL,
	`secret_prefix` text NOT NULL,
	`default_meter` text,
	`options` text DEFAULT '{}' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_sources_name_unique` ON `webhook_sources` (`name`);