CREATE TABLE `session_labels` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` text NOT NULL,
	`label` text NOT NULL,
	`analyst` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`created_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `session_labels_session_idx` ON `session_labels` (`session_id`,`id`);