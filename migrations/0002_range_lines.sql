CREATE TABLE `import_ranges` (
	`batch_id` text NOT NULL,
	`range_index` integer NOT NULL,
	`lines` integer NOT NULL,
	PRIMARY KEY(`batch_id`, `range_index`),
	FOREIGN KEY (`batch_id`) REFERENCES `import_jobs`(`batch_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `__new_import_errors` (
	`batch_id` text NOT NULL,
	`range_index` integer DEFAULT 0 NOT NULL,
	`line` integer NOT NULL,
	`code` text NOT NULL,
	`message` text NOT NULL,
	`severity` text DEFAULT 'error' NOT NULL,
	PRIMARY KEY(`batch_id`, `range_index`, `line`, `code`),
	FOREIGN KEY (`batch_id`) REFERENCES `import_jobs`(`batch_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Stored lines become lines within range 0, whose first line follows the header.
INSERT INTO `__new_import_errors`("batch_id", "range_index", "line", "code", "message", "severity")
SELECT e."batch_id", 0, e."line" - COALESCE((SELECT j.plan ->> '$.headerLine' FROM `import_jobs` j WHERE j.batch_id = e.batch_id), 0),
  e."code", e."message", e."severity" FROM `import_errors` e;--> statement-breakpoint
DROP TABLE `import_errors`;--> statement-breakpoint
ALTER TABLE `__new_import_errors` RENAME TO `import_errors`;