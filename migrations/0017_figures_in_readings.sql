-- A meter-day's figures move into its readings row: an import then writes one row per day rather than two
-- (the second B-tree insert, meter_days, was most of what keeping figures current added to an import).
-- `figures` is JSON [baseloadKw, peakKwh, peakAt, oohKwh] (NULL: a daily total, or pending); `rev` is the
-- aggregation_state.seq when the row was written, which the aggregation checks before it writes figures.
ALTER TABLE `readings` ADD `figures` text;--> statement-breakpoint
ALTER TABLE `readings` ADD `rev` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Figures already computed carry over; a day still pending (changed_spans) is recomputed by the aggregation.
UPDATE `readings` SET `figures` = (
  SELECT json_array(d.`baseload_kw`, d.`peak_kwh`, d.`peak_at`, d.`ooh_kwh`) FROM `meter_days` d
  WHERE d.`meter_id` = `readings`.`meter_id` AND d.`date` = `readings`.`date`)
WHERE `period_count` IS NOT NULL;--> statement-breakpoint
DROP TABLE `meter_days`;--> statement-breakpoint
-- The same columns as the table it replaces, so every reader is unchanged. `expected` is the day's
-- settlement periods as src/time/settlement.ts counts them (46 on the last Sunday of March, 50 on the last
-- Sunday of October, else 48); test/analytics/meter-days-view.test.ts holds the two equal.
CREATE VIEW `meter_days` AS SELECT
  `meter_id`,
  `date`,
  `total_kwh` AS `kwh`,
  `period_count` AS `periods`,
  CASE WHEN substr(`date`, 9, 2) >= '25' AND substr(`date`, 6, 2) IN ('03', '10') AND strftime('%w', `date`) = '0'
    THEN CASE substr(`date`, 6, 2) WHEN '03' THEN 46 ELSE 50 END ELSE 48 END AS `expected`,
  `estimated_mask` <> 0 AS `estimated`,
  `figures` ->> 0 AS `baseload_kw`,
  `figures` ->> 1 AS `peak_kwh`,
  `figures` ->> 2 AS `peak_at`,
  `figures` ->> 3 AS `ooh_kwh`
FROM `readings`;
