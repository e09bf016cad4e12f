/**
 * The name of a user's Durable Object (`UserGraphAgent`), made here only:
 * `<tenantId>:<userKey>`, where the user key is `<entra tid>.<oid>` from
 * verified id_token claims (the same key `tenant_users` records). Every stub
 * is `env.USER_AGENT.getByName(agentName(tenantId, userKey))`.
 *
 * @module
 */
export function agentName(tenantId: string, userKey: string): string {
  return `${tenantId}:${userKey}`;
}
