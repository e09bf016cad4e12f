-- Tenants the operator suspended before signup blocks existed get the blocks
-- a suspension makes now: their slug, Entra tenant ID and client ID.
INSERT OR IGNORE INTO `signup_blocks` (`field`, `value`, `tenant_id`)
SELECT 'slug', `slug`, `id` FROM `tenants` WHERE `status` = 'suspended' AND `suspended_by` = 'operator';
--> statement-breakpoint
INSERT OR IGNORE INTO `signup_blocks` (`field`, `value`, `tenant_id`)
SELECT 'entraTenantId', `entra_tenant_id`, `id` FROM `tenants` WHERE `status` = 'suspended' AND `suspended_by` = 'operator';
--> statement-breakpoint
INSERT OR IGNORE INTO `signup_blocks` (`field`, `value`, `tenant_id`)
SELECT 'clientId', `client_id`, `id` FROM `tenants` WHERE `status` = 'suspended' AND `suspended_by` = 'operator';
