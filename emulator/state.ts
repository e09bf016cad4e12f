import type { EmulatedCloud } from "./clouds";
import { GrantStore } from "./entra/grants";

/**
 * In-memory state of the emulated Microsoft cloud: Entra tenants with their
 * app registrations and users. Everything is addressable by the same ids a
 * real tenant uses (GUIDs), so the gateway cannot tell it apart by shape.
 */
export interface EmulatedSecret {
  value: string;
  /** Epoch ms; undefined = never expires. */
  expiresAt?: number;
}

/** A certificate uploaded to an app (Certificates & secrets → Certificates → Upload): its public part only. */
export interface EmulatedCertificate {
  /** SHA-1 thumbprint in upper-case hex, as the portal lists it. */
  thumbprint: string;
  /** Base64url SHA-1 and SHA-256 thumbprints, as an assertion's `x5t` and `x5t#S256` headers name the certificate. */
  x5t: string;
  x5tS256: string;
  /** The certificate's validity window, epoch ms. */
  notBefore: number;
  notAfter: number;
  /** The certificate in PEM, from which the public key is imported to verify an assertion. */
  pem: string;
}

export type IdTokenFault = "wrong-issuer" | "wrong-audience" | "wrong-nonce" | "foreign-tid" | "alg-none" | "unknown-key" | "expired";

export interface EmulatedApp {
  clientId: string;
  displayName: string;
  secrets: EmulatedSecret[];
  redirectUris: string[];
  /** Lifetime of delegated access tokens; Entra's default is 60–90 minutes. */
  accessTokenLifetimeSeconds?: number;
  /** Control API: the next id_token issued to this app is broken this way (then cleared). */
  idTokenFault?: IdTokenFault;
  /**
   * The manifest's `groupMembershipClaims`: which memberships the app's tokens
   * carry. Only "DirectoryRole" and "All" put the user's directory roles in
   * `wids`; undefined is the manifest's null (none).
   */
  groupMembershipClaims?: GroupMembershipClaims;
  /** Certificates uploaded through the control API; client assertions are verified against them. */
  certificates?: EmulatedCertificate[];
  /** `jti` → `exp` (epoch ms) of the client assertions this app has used, so a replay is refused. */
  usedAssertionIds?: Map<string, number>;
}

export type GroupMembershipClaims = "None" | "SecurityGroup" | "DirectoryRole" | "ApplicationGroup" | "All";

export interface EmulatedUser {
  oid: string;
  userPrincipalName: string;
  displayName: string;
  mail: string;
  jobTitle?: string;
  /** Windows time zone name, as mailboxSettings reports it. */
  timeZone?: string;
  /** Template IDs of the Entra built-in roles assigned to the user (Global Administrator…). */
  directoryRoles?: string[];
  /** A shared mailbox: an account nobody signs in to, reached by the users given rights on it. */
  sharedMailbox?: boolean;
  /** Exchange rights other users hold on this mailbox (Add-MailboxPermission FullAccess, Add-RecipientPermission SendAs, GrantSendOnBehalfTo). */
  mailboxDelegates?: MailboxDelegate[];
}

export type MailboxRight = "FullAccess" | "SendAs" | "SendOnBehalf";

export interface MailboxDelegate {
  oid: string;
  rights: MailboxRight[];
}

export interface EmulatedTenant {
  tenantId: string;
  displayName: string;
  apps: Map<string, EmulatedApp>;
  users: Map<string, EmulatedUser>;
  /** Client ID → scopes (lower case) the tenant's admin granted for all users via /adminconsent; survives app updates. */
  adminConsents: Map<string, Set<string>>;
  /** Entra's "User consent for applications" setting: "disabled" = "Do not allow user consent". */
  userConsent: "allowed" | "disabled";
  /** The one cloud the tenant exists in; every other cloud's Entra ID and Graph do not know it. */
  cloud: EmulatedCloud;
}

export class EmulatorState {
  readonly tenants = new Map<string, EmulatedTenant>();
  readonly grants = new GrantStore();
  /**
   * `<tid>.<oid>` → token generation. Tokens carry the generation they were
   * issued in; revoking a user's sessions bumps it, which rejects them all.
   */
  readonly tokenGenerations = new Map<string, number>();

  tokenGeneration(tenantId: string, oid: string): number {
    return this.tokenGenerations.get(`${tenantId}.${oid}`) ?? 0;
  }

  revokeUserTokens(tenantId: string, oid: string): void {
    this.tokenGenerations.set(`${tenantId}.${oid}`, this.tokenGeneration(tenantId, oid) + 1);
  }

  upsertTenant(tenantId: string, displayName = "Contoso", cloud: EmulatedCloud = "global"): EmulatedTenant {
    const id = tenantId.toLowerCase();
    let tenant = this.tenants.get(id);
    if (!tenant) {
      tenant = { tenantId: id, displayName, apps: new Map(), users: new Map(), adminConsents: new Map(), userConsent: "allowed", cloud };
      this.tenants.set(id, tenant);
    }
    return tenant;
  }

  tenant(tenantId: string): EmulatedTenant | undefined {
    return this.tenants.get(tenantId.toLowerCase());
  }

  upsertApp(tenantId: string, app: EmulatedApp): EmulatedApp {
    const tenant = this.upsertTenant(tenantId);
    const stored = { ...app, clientId: app.clientId.toLowerCase() };
    tenant.apps.set(stored.clientId, stored);
    return stored;
  }

  upsertUser(tenantId: string, user: EmulatedUser): EmulatedUser {
    const tenant = this.upsertTenant(tenantId);
    tenant.users.set(user.oid, user);
    return user;
  }
}
