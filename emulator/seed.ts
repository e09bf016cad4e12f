import type { EmulatorState } from "./state";

/**
 * The demo organization `npm run dev` starts with. Ids are fixed so the
 * gateway's demo tenant can point at them; the secret is for local use only.
 */
export const DEMO = {
  entraTenantId: "5f0b6c2a-8d4e-4a7b-9c1e-3d2f6a8b0c4e",
  clientId: "9a7e3c1b-2d4f-4e6a-8b0c-1e3f5a7c9d2b",
  clientSecret: "dmo8Q~local-demo-secret-not-for-production",
  displayName: "Fabrikam Demo",
  users: [
    { oid: "0c6f2d8e-1a3b-4c5d-8e7f-9a0b1c2d3e4f", userPrincipalName: "avery@fabrikam.example", displayName: "Avery Lindqvist" },
    { oid: "1d7a3e9f-2b4c-4d6e-9f8a-0b1c2d3e4f5a", userPrincipalName: "jordan@fabrikam.example", displayName: "Jordan Okafor" },
  ],
} as const;

export function seedDemo(state: EmulatorState, gatewayRedirectUri: string): void {
  state.upsertTenant(DEMO.entraTenantId, DEMO.displayName);
  state.upsertApp(DEMO.entraTenantId, {
    clientId: DEMO.clientId,
    displayName: "Fabrikam MCP gateway",
    secrets: [{ value: DEMO.clientSecret }],
    redirectUris: [gatewayRedirectUri],
  });
  for (const user of DEMO.users) state.upsertUser(DEMO.entraTenantId, { ...user, mail: user.userPrincipalName });
}
