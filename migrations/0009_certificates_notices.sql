CREATE TABLE `tenant_certificates` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`status` text NOT NULL,
	`thumbprint` text NOT NULL,
	`x5t_s256` text NOT NULL,
	`certificate_der` text NOT NULL,
	`private_key_ciphertext` text NOT NULL,
	`private_key_iv` text NOT NULL,
	`not_before` integer NOT NULL,
	`not_after` integer NOT NULL,
	`verified_at` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tenant_certificates_tenant_idx` ON `tenant_certificates` (`tenant_id`,`status`);--> statement-breakpoint
ALTER TABLE `tenant_alerts` ADD `notice_state` text;--> statement-breakpoint
ALTER TABLE `tenant_alerts` ADD `notice_attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `tenant_alerts` ADD `notice_next_at` integer;--> statement-breakpoint
CREATE INDEX `tenant_alerts_notice_idx` ON `tenant_alerts` (`notice_state`,`notice_next_at`);--> statement-breakpoint
ALTER TABLE `tenants` ADD `credential_kind` text DEFAULT 'secret' NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `notice_webhook_url` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `notice_webhook_secret_ciphertext` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `notice_webhook_secret_iv` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `notice_webhook_failing_since` integer;