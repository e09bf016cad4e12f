CREATE TABLE `signup_blocks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`field` text NOT NULL,
	`value` text NOT NULL,
	`tenant_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `signup_blocks_value_idx` ON `signup_blocks` (`field`,`value`,`tenant_id`);--> statement-breakpoint
CREATE INDEX `signup_blocks_tenant_idx` ON `signup_blocks` (`tenant_id`);