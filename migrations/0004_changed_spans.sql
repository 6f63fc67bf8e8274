-- What an import changed is recorded per range as each meter's span of days, not one row per meter-day.
CREATE TABLE `changed_spans` (
	`batch_id` text NOT NULL,
	`meter_id` integer NOT NULL,
	`first_date` text NOT NULL,
	`last_date` text NOT NULL,
	`changed_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`batch_id`, `meter_id`, `first_date`)
);
--> statement-breakpoint
-- Days recorded before this migration become one-day spans, so aggregation still sees them.
INSERT INTO `changed_spans` (`batch_id`, `meter_id`, `first_date`, `last_date`, `changed_at`)
SELECT `batch_id`, `meter_id`, `date`, `date`, `changed_at` FROM `changed_days` WHERE 1
ON CONFLICT DO NOTHING;
--> statement-breakpoint
DROP TABLE `changed_days`;
