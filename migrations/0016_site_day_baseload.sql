-- Site roll-ups carry their meters' daily baseloads summed, so the estate's baseload trend reads 20 sites'
-- days rather than every meter's (0.26 s for a portfolio year at 1,000 meters). Every site-month is
-- marked stale, so the next read or the queue fills the new column from meter_days.
ALTER TABLE `site_days` ADD `baseload_kw` real;
--> statement-breakpoint
INSERT INTO `site_months_stale` (`site_id`, `month`) SELECT DISTINCT `site_id`, substr(`date`, 1, 7) FROM `site_days` WHERE true ON CONFLICT DO NOTHING;
