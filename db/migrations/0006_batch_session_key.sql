PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` text NOT NULL,
	`batch_id` text NOT NULL,
	`idx` integer NOT NULL,
	`type` text NOT NULL,
	`t` real NOT NULL,
	`key_class` text,
	`field` text,
	`position` integer,
	`x` real,
	`y` real,
	`dx` real,
	`dy` real,
	`button` integer,
	`pressure` real,
	`pointer_type` text,
	`state` text,
	FOREIGN KEY (`session_id`,`batch_id`) REFERENCES `batches`(`session_id`,`batch_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_events`("id", "session_id", "batch_id", "idx", "type", "t", "key_class", "field", "position", "x", "y", "dx", "dy", "button", "pressure", "pointer_type", "state") SELECT "id", "session_id", "batch_id", "idx", "type", "t", "key_class", "field", "position", "x", "y", "dx", "dy", "button", "pressure", "pointer_type", "state" FROM `events`;--> statement-breakpoint
DROP TABLE `events`;--> statement-breakpoint
ALTER TABLE `__new_events` RENAME TO `events`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `events_session_idx` ON `events` (`session_id`,`t`);--> statement-breakpoint
CREATE INDEX `events_batch_idx` ON `events` (`session_id`,`batch_id`);--> statement-breakpoint
DROP INDEX `enrolment_windows_batch_id_unique`;--> statement-breakpoint
CREATE UNIQUE INDEX `enrolment_windows_batch_idx` ON `enrolment_windows` (`session_id`,`batch_id`);--> statement-breakpoint
CREATE TABLE `__new_batches` (
	`batch_id` text NOT NULL,
	`session_id` text NOT NULL,
	`seq` integer NOT NULL,
	`event_count` integer NOT NULL,
	`payload_sha256` text NOT NULL,
	`received_at_ms` integer NOT NULL,
	`stored_at_ms` integer NOT NULL,
	PRIMARY KEY(`session_id`, `batch_id`),
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_batches`("batch_id", "session_id", "seq", "event_count", "payload_sha256", "received_at_ms", "stored_at_ms") SELECT "batch_id", "session_id", "seq", "event_count", "payload_sha256", "received_at_ms", "stored_at_ms" FROM `batches`;--> statement-breakpoint
DROP TABLE `batches`;--> statement-breakpoint
ALTER TABLE `__new_batches` RENAME TO `batches`;--> statement-breakpoint
CREATE INDEX `batches_session_idx` ON `batches` (`session_id`,`seq`);