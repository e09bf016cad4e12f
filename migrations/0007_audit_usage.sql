CREATE TABLE `usage_daily` (
	`tenant_id` text NOT NULL,
	`day` text NOT NULL,
	`tool` text NOT NULL,
	`calls` integer NOT NULL,
	`errors` integer NOT NULL,
	`throttled` integer NOT NULL,
	`latency_ms_total` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `day`, `tool`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `usage_daily_day_idx` ON `usage_daily` (`day`);--> statement-breakpoint
CREATE TABLE `usage_daily_users` (
	`tenant_id` text NOT NULL,
	`day` text NOT NULL,
	`user_id` text NOT NULL,
	`calls` integer NOT NULL,
	`errors` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `day`, `user_id`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `tenants` ADD `audit_retention_days` integer DEFAULT 90 NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `audit_stream_url` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `audit_stream_secret_ciphertext` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `audit_stream_secret_iv` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `audit_stream_failing_since` integer;--> statement-breakpoint
ALTER TABLE `tenants` ADD `quota_user_per_minute` integer;--> statement-breakpoint
ALTER TABLE `tenants` ADD `quota_tenant_per_day` integer;