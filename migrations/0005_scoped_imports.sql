-- Import jobs and uploads remember the company scope they were made in, so a company-scoped token sees and
-- writes only its own company's jobs and meters.
ALTER TABLE `import_jobs` ADD `company_id` integer;
--> statement-breakpoint
ALTER TABLE `uploads` ADD `company_id` integer;
