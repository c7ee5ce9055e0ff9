CREATE TABLE `webhook_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text,
	`body` text NOT NULL,
	`created_at_ms` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_ms` integer NOT NULL,
	`delivered_at_ms` integer,
	`dropped_reason` text
);
--> statement-breakpoint
CREATE INDEX `webhook_outbox_due_idx` ON `webhook_outbox` (`delivered_at_ms`,`dropped_reason`,`next_attempt_ms`);--> statement-breakpoint
CREATE INDEX `webhook_outbox_user_idx` ON `webhook_outbox` (`user_id`);