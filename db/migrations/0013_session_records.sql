CREATE TABLE `session_records` (
	`session_id` text PRIMARY KEY NOT NULL,
	`record` text NOT NULL,
	`updated_at_ms` integer NOT NULL
);
