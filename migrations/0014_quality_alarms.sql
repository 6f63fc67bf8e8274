-- Data quality issues, alarms and their triggers, in-app notifications, email/webhook deliveries and one
-- row per scheduled or on-demand job run; checks_pending is filled from changed_spans by a trigger.
CREATE TABLE `quality_issues` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`type` text NOT NULL,
	`meter_id` integer NOT NULL,
	`key` text NOT NULL,
	`from_date` text NOT NULL,
	`to_date` text NOT NULL,
	`periods` text,
	`severity` text NOT NULL,
	`detail` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`note` text,
	`changed_by` integer,
	`changed_at` text,
	`first_seen` text NOT NULL,
	`last_seen` text NOT NULL,
	FOREIGN KEY (`meter_id`) REFERENCES `meters`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`changed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quality_issues_identity` ON `quality_issues` (`meter_id`,`type`,`key`);
--> statement-breakpoint
CREATE INDEX `quality_issues_status` ON `quality_issues` (`status`,`type`);
--> statement-breakpoint
CREATE TABLE `meter_quality_settings` (
	`meter_id` integer PRIMARY KEY NOT NULL,
	`zero_run` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`meter_id`) REFERENCES `meters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `checks_pending` (
	`batch_id` text NOT NULL,
	`meter_id` integer NOT NULL,
	`first_date` text NOT NULL,
	`last_date` text NOT NULL,
	PRIMARY KEY(`batch_id`, `meter_id`, `first_date`)
);
--> statement-breakpoint
-- Every span an import (or a re-aggregation) records is also waiting for the checks. A trigger keeps
-- src/imports/ unaware of them; the upsert of a retried range fires the UPDATE trigger.
CREATE TRIGGER `changed_spans_to_checks` AFTER INSERT ON `changed_spans` BEGIN
	INSERT INTO `checks_pending` (`batch_id`, `meter_id`, `first_date`, `last_date`)
	VALUES (NEW.`batch_id`, NEW.`meter_id`, NEW.`first_date`, NEW.`last_date`)
	ON CONFLICT (`batch_id`, `meter_id`, `first_date`) DO UPDATE SET `last_date` = max(`last_date`, excluded.`last_date`);
END;
--> statement-breakpoint
CREATE TRIGGER `changed_spans_to_checks_update` AFTER UPDATE OF `last_date` ON `changed_spans` BEGIN
	INSERT INTO `checks_pending` (`batch_id`, `meter_id`, `first_date`, `last_date`)
	VALUES (NEW.`batch_id`, NEW.`meter_id`, NEW.`first_date`, NEW.`last_date`)
	ON CONFLICT (`batch_id`, `meter_id`, `first_date`) DO UPDATE SET `last_date` = max(`last_date`, excluded.`last_date`);
END;
--> statement-breakpoint
CREATE TABLE `alarms` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`meter_id` integer,
	`site_id` integer,
	`metric` text NOT NULL,
	`period` text NOT NULL,
	`operator` text NOT NULL,
	`threshold` real,
	`pct_above_previous` real,
	`recipients` text DEFAULT '[]' NOT NULL,
	`webhook` integer DEFAULT false NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text,
	FOREIGN KEY (`meter_id`) REFERENCES `meters`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `alarms_meter` ON `alarms` (`meter_id`);
--> statement-breakpoint
CREATE INDEX `alarms_site` ON `alarms` (`site_id`);
--> statement-breakpoint
CREATE TABLE `alarm_triggers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`alarm_id` integer NOT NULL,
	`span_from` text NOT NULL,
	`span_to` text NOT NULL,
	`value` real NOT NULL,
	`threshold` real NOT NULL,
	`triggered_at` text NOT NULL,
	`notified` text DEFAULT '[]' NOT NULL,
	FOREIGN KEY (`alarm_id`) REFERENCES `alarms`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alarm_triggers_span` ON `alarm_triggers` (`alarm_id`,`span_from`);
--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`link` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`read_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `notifications_user` ON `notifications` (`user_id`,`read_at`);
--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`target` text NOT NULL,
	`subject` text NOT NULL,
	`payload` text NOT NULL,
	`source` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text
);
--> statement-breakpoint
CREATE TABLE `scheduler_executions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job` text NOT NULL,
	`trigger` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`duration_ms` integer,
	`items` integer DEFAULT 0 NOT NULL,
	`rows_written` integer DEFAULT 0 NOT NULL,
	`status` text,
	`error` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `scheduler_executions_job` ON `scheduler_executions` (`job`,`started_at`);
