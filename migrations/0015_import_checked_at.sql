-- When the quality rules and alarms finished checking the days an import changed: they now run from a
-- queue message after the job completes, so an import's end-to-end time no longer includes them.
ALTER TABLE `import_jobs` ADD `checked_at` text;
