DROP INDEX `enrolment_windows_batch_idx`;--> statement-breakpoint
CREATE UNIQUE INDEX `enrolment_windows_batch_kind_idx` ON `enrolment_windows` (`session_id`,`batch_id`,`kind`);