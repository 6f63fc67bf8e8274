-- A covering index for sums over many meters' days (the meter_days view's kWh and periods): since 0017 a
-- day's row holds its half-hours, which a site's or the portfolio's meter shares need not read.
CREATE INDEX `readings_day_sums` ON `readings` (`meter_id`,`date`,`total_kwh`,`period_count`);