-- Consumption analytics: per meter-day figures and per meter-month sums, kept current from changed_spans;
-- sites gain working hours and named normalisers.
ALTER TABLE `sites` ADD `working_hours` text;
--> statement-breakpoint
ALTER TABLE `sites` ADD `normalisers` text DEFAULT '[]' NOT NULL;
--> statement-breakpoint
CREATE TABLE `meter_days` (
	`meter_id` integer NOT NULL,
	`date` text NOT NULL,
	`kwh` real NOT NULL,
	`periods` integer,
	`expected` integer NOT NULL,
	`estimated` integer NOT NULL,
	`baseload_kw` real,
	`peak_kwh` real,
	`peak_at` integer,
	`ooh_kwh` real,
	`seq` integer NOT NULL,
	PRIMARY KEY(`meter_id`, `date`),
	FOREIGN KEY (`meter_id`) REFERENCES `meters`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `meter_months` (
	`meter_id` integer NOT NULL,
	`month` text NOT NULL,
	`days` integer NOT NULL,
	`kwh` real NOT NULL,
	`periods` integer NOT NULL,
	PRIMARY KEY(`meter_id`, `month`),
	FOREIGN KEY (`meter_id`) REFERENCES `meters`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `aggregation_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`seq` integer DEFAULT 0 NOT NULL,
	`updated_at` text
);
--> statement-breakpoint
INSERT INTO `aggregation_state` (`id`, `seq`) VALUES (1, 0);
--> statement-breakpoint
-- Readings stored before this migration become pending spans, so the first aggregation run covers them.
INSERT INTO `changed_spans` (`batch_id`, `meter_id`, `first_date`, `last_date`)
SELECT 'migration-0009', `meter_id`, min(`date`), max(`date`) FROM `readings` GROUP BY `meter_id`;
