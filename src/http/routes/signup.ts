import { Hono } from "hono";
import { z } from "zod";
import type { ApexEnv } from "../context";
import { ApiError } from "../errors";
import { jsonBodyLimit, readJsonBody } from "../json-body";
import { rateLimit } from "../rate-limit";
import { logEvent } from "../../lib/log";
import { generateAdminKey, hashAdminKey, secretsMatch } from "../../tenancy/admin-key";
import { verifyAndSealCredentials } from "../credentials";
import { ClientIdSchema, ClientSecretSchema, EntraTenantIdSchema, OrgNameSchema, SecretExpirySchema } from "../../tenancy/inputs";
import { onboardingLinks } from "../../tenancy/onboarding";
import { DEFAULT_POLICY } from "../../tenancy/policy";
import { EntraAppTakenError, SlugTakenError } from "../../tenancy/registry";
import { SlugSchema } from "../../tenancy/slug";
import { envelopeColumns } from "../../tenancy/tenant";

/** @module POST /api/signup on the apex: an org brings its own Entra app. */

export const SignupRequestSchema = z.strictObject({
  orgName: OrgNameSchema,
  slug: SlugSchema,
  entraTenantId: EntraTenantIdSchema,
  clientId: ClientIdSchema,
  clientSecret: ClientSecretSchema,
  clientSecretExpiresAt: SecretExpirySchema.optional(),
  adminEmail: z.email("expected an email address").max(254),
  inviteToken: z.string().max(200).optional(),
});

export const signupRoute = new Hono<ApexEnv>().post(
  "/api/signup",
  rateLimit<ApexEnv>({
    limiter: "SIGNUP_RATE_LIMITER",
    scope: () => "signup",
    message: "Too many signup attempts from this address; wait a minute and try again",
  }),
  (c, next) => jsonBodyLimit(c.get("config").SIGNUP_MAX_BODY_BYTES)(c, next),
  async (c) => {
    const config = c.get("config");
    const registry = c.get("registry");
    const input = await readJsonBody(c, SignupRequestSchema);

    if (config.SIGNUP_INVITE_TOKEN) {
      const presented = input.inviteToken ?? "";
      if (!(await secretsMatch(presented, config.SIGNUP_INVITE_TOKEN))) {
        throw new ApiError(403, "invite_required", "Signup on this gateway needs a valid inviteToken");
      }
    }
    if (await registry.findBySlug(input.slug)) throw slugTaken(input.slug);
    const blocked = await registry.blockedFields({ slug: input.slug, entraTenantId: input.entraTenantId, clientId: input.clientId });
    if (blocked.length > 0) throw blockedByOperator(blocked);

    const tenantId = crypto.randomUUID();
    const sealed = await verifyAndSealCredentials(config, { tenantId, ...input });
    const adminKey = generateAdminKey();
    let tenant;
    try {
      tenant = await registry.create({
        id: tenantId,
        slug: input.slug,
        displayName: input.orgName,
        adminEmail: input.adminEmail,
        entraTenantId: input.entraTenantId,
        clientId: input.clientId,
        ...envelopeColumns(sealed.envelope),
        secretHint: sealed.secretHint,
        secretExpiresAt: input.clientSecretExpiresAt ?? null,
        policy: JSON.stringify(DEFAULT_POLICY),
        adminKeyHash: await hashAdminKey(adminKey),
      });
    } catch (error) {
      if (error instanceof SlugTakenError) throw slugTaken(input.slug);
      if (error instanceof EntraAppTakenError) throw entraAppTaken();
      throw error;
    }
    c.get("tenantCache").invalidate(tenant.slug);
    logEvent("tenant_signed_up", { tenantId, slug: tenant.slug, verified: sealed.verified });

    const links = onboardingLinks({
      apexUrl: new URL(c.req.url),
      slug: tenant.slug,
      loginBase: config.LOGIN_BASE,
      entraTenantId: tenant.entraTenantId,
      clientId: tenant.clientId,
      enabledGroups: tenant.policy.enabledGroups,
      readOnly: tenant.policy.readOnly,
    });
    return c.json(
      {
        tenant: { id: tenant.id, slug: tenant.slug, displayName: tenant.displayName },
        ...links,
        credentialsVerified: sealed.verified,
        adminKey,
        adminKeyNotice: "Store this admin key now: it is shown only once and cannot be recovered.",
        nextSteps: [
          `In your Entra app registration, add the Web redirect URI ${links.redirectUri}`,
          "Add the delegated Microsoft Graph permissions listed in delegatedPermissions",
          "Open adminConsentUrl as a Global or Privileged Role Administrator to grant them for your organization",
          `Give your users the MCP server URL ${links.mcpUrl}`,
        ],
      },
      201,
      { "cache-control": "no-store" },
    );
  },
);

function slugTaken(slug: string): ApiError {
  return new ApiError(409, "slug_taken", `The name "${slug}" is already taken; choose another slug`, {
    issues: [{ field: "slug", message: "already taken" }],
  });
}

/**
 * Found by the insert, which comes after the credential check: with
 * verification on, only someone holding the app's secret learns that it is
 * registered here already.
 */
function entraAppTaken(): ApiError {
  return new ApiError(
    409,
    "entra_app_taken",
    "This Entra app (Directory ID and Application ID) is already registered on this gateway; register a new app for a second organization",
    {
      issues: [{ field: "clientId", message: "already registered with this entraTenantId" }],
    },
  );
}

/**
 * The operator suspended an organization that used these values (and may
 * have deleted it since): the same org cannot come back under a new tenant.
 */
function blockedByOperator(fields: readonly string[]): ApiError {
  return new ApiError(
    403,
    "blocked_by_operator",
    `This gateway's operator has blocked signups with this ${fields.join(", ")}; contact the operator`,
    {
      issues: fields.map((field) => ({ field, message: "blocked by the gateway's operator" })),
    },
  );
}
