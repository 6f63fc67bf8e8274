-- Stored messages are capped at 1,000 characters ending with "…" (src/imports/jobs.ts: capMessage);
-- messages stored before the cap (a job error once quoted a 5 MB line) are cut the same way.
UPDATE import_jobs SET error = substr(error, 1, 999) || '…' WHERE length(error) > 1000;
--> statement-breakpoint
UPDATE import_errors SET message = substr(message, 1, 999) || '…' WHERE length(message) > 1000;
