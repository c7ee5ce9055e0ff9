CREATE TABLE `offchain_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`did` text NOT NULL,
	`dedupe_key` text NOT NULL,
	`typing_speed_wpm` real NOT NULL,
	`avg_key_hold_time_ms` real NOT NULL,
	`avg_transition_time_ms` real NOT NULL,
	`error_rate_percent` real NOT NULL,
	`anomaly_score` real NOT NULL,
	`created_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `offchain_history_dedupe_key_unique` ON `offchain_history` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `offchain_history_did_idx` ON `offchain_history` (`did`,`id`);--> statement-breakpoint
CREATE TABLE `offchain_results` (
	`key` text PRIMARY KEY NOT NULL,
	`did` text NOT NULL,
	`request_sha256` text NOT NULL,
	`response` text NOT NULL,
	`created_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `offchain_results_created_idx` ON `offchain_results` (`created_at_ms`);--> statement-breakpoint
CREATE TABLE `offchain_signing_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`public_key` text NOT NULL,
	`private_key` text NOT NULL,
	`created_at_ms` integer NOT NULL
);
