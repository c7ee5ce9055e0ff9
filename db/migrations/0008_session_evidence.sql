ALTER TABLE `sessions` ADD `evidence_llr` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `evidence_windows` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `evidence_flagged` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `evidence_signals` text DEFAULT '[]' NOT NULL;