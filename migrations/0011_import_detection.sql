-- Gas volume imports (issue 11): a meter's calorific value (MJ/m³; NULL = the default 39.5), and on each
-- reading day the calorific value its kWh were converted with from a volume (NULL = the file gave energy),
-- so the readings API can give the volume back: m³ = kWh × 3.6 ÷ (1.02264 × CV).
ALTER TABLE `meters` ADD `calorific_value` real;
--> statement-breakpoint
ALTER TABLE `readings` ADD `calorific_value` real;
