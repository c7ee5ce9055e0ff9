-- Old rows are keyed by plaintext email or device id: only short-lived counters, dropped rather than kept.
DELETE FROM `login_throttle`;--> statement-breakpoint
CREATE TABLE `identity_secrets` (
	`name` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`created_at_ms` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `login_throttle` ADD `in_flight` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `login_throttle` ADD `reserved_at_ms` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `login_throttle` ADD `epoch` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `login_throttle` ADD `expires_at_ms` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `login_throttle_expires_idx` ON `login_throttle` (`expires_at_ms`);--> statement-breakpoint
ALTER TABLE `users` ADD `mpin_in_flight` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `mpin_reserved_at_ms` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `mpin_epoch` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `sessions_user_device_idx` ON `sessions` (`user_id`,`device_id`);