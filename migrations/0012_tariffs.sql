-- Tariffs, dynamic price series, meter tariff assignments and stored switching analyses (src/tariffs).
CREATE TABLE `tariffs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`supplier_id` integer,
	`fuel` text NOT NULL,
	`type` text NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`standing_charge_pence` real NOT NULL,
	`vat_rate` real NOT NULL,
	`ccl` integer NOT NULL,
	`unit_rate_pence` real,
	`bands` text,
	`clock` text DEFAULT 'local' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`prices_version` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text,
	FOREIGN KEY (`supplier_id`) REFERENCES `suppliers`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `tariff_prices` (
	`tariff_id` integer NOT NULL,
	`date` text NOT NULL,
	`prices` text NOT NULL,
	PRIMARY KEY(`tariff_id`, `date`),
	FOREIGN KEY (`tariff_id`) REFERENCES `tariffs`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `meter_tariffs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`meter_id` integer NOT NULL,
	`tariff_id` integer NOT NULL,
	`from_date` text NOT NULL,
	`to_date` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`meter_id`) REFERENCES `meters`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tariff_id`) REFERENCES `tariffs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `meter_tariffs_meter` ON `meter_tariffs` (`meter_id`,`from_date`);
--> statement-breakpoint
CREATE TABLE `switching_analyses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`meter_id` integer,
	`from_date` text NOT NULL,
	`to_date` text NOT NULL,
	`inputs` text NOT NULL,
	`results` text NOT NULL,
	`created_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`meter_id`) REFERENCES `meters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `switching_analyses_site` ON `switching_analyses` (`site_id`,`created_at`);
