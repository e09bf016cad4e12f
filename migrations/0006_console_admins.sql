CREATE TABLE `tenant_console_admins` (
	`tenant_id` text NOT NULL,
	`email` text NOT NULL,
	`user_id` text,
	`added_by` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`last_sign_in_at` integer,
	PRIMARY KEY(`tenant_id`, `email`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `tenant_users` ADD `upn` text;--> statement-breakpoint
ALTER TABLE `tenant_users` ADD `display_name` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `console_admin_roles` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `admin_consent_at` integer;--> statement-breakpoint
-- Every organization signed up before the console gets its signup admin email as its first console admin.
INSERT OR IGNORE INTO `tenant_console_admins` (`tenant_id`, `email`) SELECT `id`, lower(`admin_email`) FROM `tenants`;
