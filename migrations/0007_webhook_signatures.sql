-- A webhook delivery's signature is used once, whatever Idempotency-Key comes with it, and a key sent again
-- with a different body is a conflict: record each delivery's signature and body hash.
ALTER TABLE `webhook_deliveries` ADD `signature` text;
--> statement-breakpoint
ALTER TABLE `webhook_deliveries` ADD `body_sha256` text;
--> statement-breakpoint
-- Deliveries without a key were stored under `sig:<v1>`: their signature is known.
UPDATE `webhook_deliveries` SET `signature` = substr(`idempotency_key`, 5) WHERE `idempotency_key` LIKE 'sig:%';
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_deliveries_signature` ON `webhook_deliveries` (`source_id`,`signature`);
