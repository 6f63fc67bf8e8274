-- Grid carbon intensity (src/carbon): national and regional half-hours, the generation mix, each site's
-- grid region, the feed's state, and the government conversion factors for fixed-factor emissions.
-- Half-hours are keyed by their UTC start in epoch ms; `demo` rows come from the seed and never count as stored.
CREATE TABLE `carbon_national` (
	`start` integer PRIMARY KEY NOT NULL,
	`forecast` real,
	`actual` real,
	`idx` text,
	`demo` integer DEFAULT 0 NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `carbon_regional` (
	`region_id` integer NOT NULL,
	`start` integer NOT NULL,
	`forecast` real NOT NULL,
	`idx` text,
	`mix` text,
	`demo` integer DEFAULT 0 NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`region_id`, `start`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `carbon_generation` (
	`start` integer PRIMARY KEY NOT NULL,
	`mix` text NOT NULL,
	`demo` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `site_grid_regions` (
	`site_id` integer PRIMARY KEY NOT NULL,
	`region_id` integer,
	`source` text NOT NULL,
	`outward` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `carbon_feed` (
	`id` integer PRIMARY KEY NOT NULL,
	`first_attempt_at` text,
	`last_attempt_at` text,
	`last_success_at` text,
	`last_new_data_at` text,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`last_refresh_at` integer
);
--> statement-breakpoint
CREATE TABLE `emission_factors` (
	`year` integer NOT NULL,
	`fuel` text NOT NULL,
	`kg_per_kwh` real NOT NULL,
	`source` text NOT NULL,
	PRIMARY KEY(`year`, `fuel`)
);
--> statement-breakpoint
-- UK government GHG conversion factors for company reporting (DESNZ/BEIS): electricity "UK electricity"
-- generation, kgCO2e/kWh; natural gas per kWh gross CV. A year not listed uses the latest year before it.
INSERT INTO `emission_factors` (`year`, `fuel`, `kg_per_kwh`, `source`) VALUES
	(2021, 'electricity', 0.21233, 'UK Government GHG Conversion Factors 2021'),
	(2022, 'electricity', 0.19338, 'UK Government GHG Conversion Factors 2022'),
	(2023, 'electricity', 0.20707, 'UK Government GHG Conversion Factors 2023'),
	(2024, 'electricity', 0.20705, 'UK Government GHG Conversion Factors 2024'),
	(2025, 'electricity', 0.17700, 'UK Government GHG Conversion Factors 2025'),
	(2021, 'gas', 0.18316, 'UK Government GHG Conversion Factors 2021'),
	(2022, 'gas', 0.18254, 'UK Government GHG Conversion Factors 2022'),
	(2023, 'gas', 0.18293, 'UK Government GHG Conversion Factors 2023'),
	(2024, 'gas', 0.18290, 'UK Government GHG Conversion Factors 2024'),
	(2025, 'gas', 0.18296, 'UK Government GHG Conversion Factors 2025');
