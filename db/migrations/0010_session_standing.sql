ALTER TABLE `sessions` ADD `standing` text DEFAULT 'allow' NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `standing_reasons` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `standing_at_ms` integer;--> statement-breakpoint
ALTER TABLE `sessions` ADD `standing_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Sessions stored before: identity sessions already challenged or blocked keep that level.
UPDATE `sessions` SET `standing` = CASE `status` WHEN 'blocked' THEN 'block' WHEN 'challenged' THEN 'challenge' ELSE `standing` END, `standing_at_ms` = `status_changed_at_ms` WHERE `status` IN ('blocked', 'challenged');
