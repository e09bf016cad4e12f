import { z } from "zod";

/** @module What an MCP grant carries, and the user identity taken from it. */

/**
 * What a grant carries (encrypted by the OAuth provider), and so what the
 * MCP handler receives as `ctx.props`. Parsed, never trusted blindly.
 */
export const GrantPropsSchema = z.object({
  tenantId: z.string().min(1),
  tid: z.string().min(1),
  oid: z.string().min(1),
  upn: z.string(),
  name: z.string(),
  graph: z.object({
    accessToken: z.string().min(1),
    refreshToken: z.string().min(1).optional(),
    /** Epoch seconds. */
    expiresAt: z.number().int(),
  }),
  grantedScopes: z.array(z.string()),
  /** The MCP client the grant was issued to, for audit events (grants issued before it was recorded have none). */
  client: z.object({ id: z.string().min(1), name: z.string().optional() }).optional(),
});
export type GrantProps = z.infer<typeof GrantPropsSchema>;

/** The Durable Object / storage identity of a user: verified claims only. */
export function userIdOf(props: Pick<GrantProps, "tid" | "oid">): string {
  return `${props.tid}.${props.oid}`;
}
