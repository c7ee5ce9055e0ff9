CREATE TABLE `enrolment_windows` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`session_id` text NOT NULL,
	`batch_id` text NOT NULL,
	`kind` text NOT NULL,
	`vector` text NOT NULL,
	`risk` real NOT NULL,
	`created_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enrolment_windows_batch_id_unique` ON `enrolment_windows` (`batch_id`);--> statement-breakpoint
CREATE INDEX `enrolment_windows_user_idx` ON `enrolment_windows` (`user_id`,`kind`,`id`);--> statement-breakpoint
CREATE TABLE `models` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`scope` text NOT NULL,
	`version` text NOT NULL,
	`sha256` text NOT NULL,
	`feature_schema` text NOT NULL,
	`metrics` text NOT NULL,
	`binary` blob NOT NULL,
	`state` text NOT NULL,
	`train_rows` blob,
	`trained_at_ms` integer NOT NULL,
	`active` integer DEFAULT false NOT NULL,
	`activated_at_ms` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `models_version_idx` ON `models` (`kind`,`scope`,`version`);--> statement-breakpoint
CREATE INDEX `models_scope_idx` ON `models` (`scope`,`kind`,`active`);