import { z } from "zod";

/**
 * @module
 * Request bodies of the OneDrive endpoints, as zod schemas.
 */
// POST …/createLink
export const LinkInput = z.strictObject({
  type: z.enum(["view", "edit"]),
  scope: z.enum(["anonymous", "organization", "users"]).default("organization"),
  expirationDateTime: z.iso.datetime({ offset: true }).optional(),
  password: z.string().min(1).optional(),
  retainInheritedPermissions: z.boolean().optional(),
});
