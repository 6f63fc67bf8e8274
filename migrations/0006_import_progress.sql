-- The import watchdog: when a job last made progress (created, planned, a range counted, or its lost work
-- sent again), and how many times the watchdog has sent it again.
ALTER TABLE `import_jobs` ADD `progress_at` text;
--> statement-breakpoint
ALTER TABLE `import_jobs` ADD `recoveries` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- Jobs from before this migration last progressed, as far as is known, when they started or were created.
UPDATE `import_jobs` SET `progress_at` = COALESCE(`started_at`, `created_at`) WHERE 1;
