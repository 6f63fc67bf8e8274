-- Site roll-ups: per site, fuel and day (and month) the sums of its meters' meter_days, which site and
-- portfolio spans read (20 sites rather than 1,000 meters). A (site, month) in site_months_stale is
-- recomputed from meter_days before it is read; writes of meter-days mark theirs. Keyed by site then date
-- (fuel last), so a span of days is one range of the key whatever the fuel.
CREATE TABLE `site_days` (
	`site_id` integer NOT NULL,
	`fuel` text NOT NULL,
	`date` text NOT NULL,
	`kwh` real NOT NULL,
	`periods` integer NOT NULL,
	PRIMARY KEY(`site_id`, `date`, `fuel`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `site_months` (
	`site_id` integer NOT NULL,
	`fuel` text NOT NULL,
	`month` text NOT NULL,
	`kwh` real NOT NULL,
	`periods` integer NOT NULL,
	PRIMARY KEY(`site_id`, `month`, `fuel`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `site_months_stale` (
	`site_id` integer NOT NULL,
	`month` text NOT NULL,
	PRIMARY KEY(`site_id`, `month`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Figures stored before this migration: every site-month with meter figures is stale.
INSERT INTO `site_months_stale` (`site_id`, `month`)
SELECT DISTINCT m.`site_id`, mm.`month` FROM `meter_months` mm JOIN `meters` m ON m.`id` = mm.`meter_id`;
