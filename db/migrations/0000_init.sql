CREATE TABLE `batches` (
	`batch_id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`seq` integer NOT NULL,
	`event_count` integer NOT NULL,
	`payload_sha256` text NOT NULL,
	`received_at_ms` integer NOT NULL,
	`stored_at_ms` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `batches_session_idx` ON `batches` (`session_id`,`seq`);--> statement-breakpoint
CREATE TABLE `events` (
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
	FOREIGN KEY (`batch_id`) REFERENCES `batches`(`batch_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `events_session_idx` ON `events` (`session_id`,`t`);--> statement-breakpoint
CREATE INDEX `events_batch_idx` ON `events` (`batch_id`);--> statement-breakpoint
CREATE TABLE `scores` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` text NOT NULL,
	`batch_id` text,
	`source` text NOT NULL,
	`score` real NOT NULL,
	`decision` text NOT NULL,
	`judged` integer NOT NULL,
	`model_version` text NOT NULL,
	`reasons` text DEFAULT '[]' NOT NULL,
	`created_at_ms` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `scores_session_idx` ON `scores` (`session_id`,`source`,`id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text,
	`device_id` text,
	`page` text,
	`language` text,
	`screen_width` integer,
	`screen_height` integer,
	`first_seen_ms` integer NOT NULL,
	`last_seen_ms` integer NOT NULL,
	`batch_count` integer DEFAULT 0 NOT NULL,
	`event_count` integer DEFAULT 0 NOT NULL
);
