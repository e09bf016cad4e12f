import { Hono, type Context } from "hono";
import { z } from "zod";
import type { ApexEnv } from "../context";
import { ApiError, validationError, type FieldIssue } from "../errors";
import { jsonBodyLimit, readJsonBody } from "../json-body";
import { spendBudget } from "../rate-limit";
import { logEvent } from "../../lib/log";
import { credentialConcerned, explainAadsts, type CredentialPart } from "../../entra/aadsts";
import { generateAdminKey, hashAdminKey, secretsMatch } from "../../tenancy/admin-key";
import { verifyAndSealCredentials } from "../credentials";
import {
  AdminEmailSchema,
  ClientIdSchema,
  ClientSecretSchema,
  EntraTenantIdSchema,
  OrgNameSchema,
  SecretExpirySchema,
} from "../../tenancy/inputs";
import { nextSteps, onboardingLinks, type OnboardingLinks } from "../../tenancy/onboarding";
import { DEFAULT_POLICY } from "../../tenancy/policy";
import { EntraAppTakenError, SlugTakenError } from "../../tenancy/registry";
import { SlugSchema } from "../../tenancy/slug";
import { envelopeColumns } from "../../tenancy/tenant";
import { CLOUDS, cloudEndpoints } from "../../tenancy/clouds";
import { signupPage, type SignupValues } from "../pages/signup-pages";
import { certificateAnswer, CertificateValiditySchema, newTenantCertificate, probeWithCertificate } from "../certificate-credentials";
import { certificateRow } from "../../tenancy/certificate-store";
import { envelopeWithoutSecret } from "../../tenancy/secret-envelope";
import { tenantOrigin } from "../../tenancy/host";

import { signupResultPage } from "../pages/signup-result-page";

/**
 * @module Signup on the apex, in two forms over one core: `POST /api/signup`
 * (JSON, for automation) and `POST /signup` (the signup page's form, which
 * works without JavaScript). Both validate with the same schema, and only a
 * request that reaches Entra spends the signup rate-limit budget: a typo, a
 * wrong invite code or a taken address spends none of it.
 */

/** The credentials an organization can give the gateway for its app. */
const CREDENTIAL_KINDS = ["secret", "certificate"] as const;

export const SignupRequestSchema = z
  .strictObject({
    orgName: OrgNameSchema,
    slug: SlugSchema,
    entraTenantId: EntraTenantIdSchema,
    clientId: ClientIdSchema,
    /**
     * How the gateway authenticates to the app: a client secret the admin
     * pastes, or a certificate the gateway generates (the admin uploads it to
     * the app afterwards; no secret is ever given to the gateway).
     */
    credential: z.enum(CREDENTIAL_KINDS, { error: 'one of "secret", "certificate"' }).default("secret"),
    clientSecret: ClientSecretSchema.optional(),
    clientSecretExpiresAt: SecretExpirySchema.optional(),
    /** With a certificate: how long it is valid. */
    certificateValidityMonths: CertificateValiditySchema,
    adminEmail: AdminEmailSchema,
    inviteToken: z.string().max(200, "at most 200 characters").optional(),
    /** The Microsoft cloud of the organization's Entra ID; fixed for the tenant's life (another cloud is another app). */
    cloud: z.enum(CLOUDS, { error: `one of ${CLOUDS.map((cloud) => `"${cloud}"`).join(", ")}` }).default("global"),
  })
  .refine((input) => input.credential !== "secret" || input.clientSecret !== undefined, {
    path: ["clientSecret"],
    message: "Enter the client secret's Value (not its Secret ID)",
    // Checked even when other fields are wrong, so every missing field is named at once.
    when: (payload) => credentialFieldsParsed(payload.issues),
  })
  .refine((input) => input.credential !== "certificate" || input.clientSecret === undefined, {
    path: ["clientSecret"],
    message: 'leave out with credential "certificate": the gateway keeps no secret then',
    when: (payload) => credentialFieldsParsed(payload.issues),
  });

/** Whether `credential` and `clientSecret` themselves parsed, so the rule between them can be judged. */
function credentialFieldsParsed(issues: readonly { path?: readonly PropertyKey[] }[]): boolean {
  return !issues.some((issue) => issue.path?.[0] === "credential" || issue.path?.[0] === "clientSecret");
}

export type SignupInput = z.infer<typeof SignupRequestSchema>;

/** The fields the signup form shows, in the schema's names. */
export const SIGNUP_FIELDS = Object.keys(SignupRequestSchema.shape) as (keyof SignupInput)[];

export interface SignupOutcome {
  tenant: { id: string; slug: string; displayName: string };
  adminEmail: string;
  links: OnboardingLinks;
  adminKey: string;
  verified: boolean;
  /** Signing up with a certificate: the certificate to upload to the app (public part only). */
  certificate?: ReturnType<typeof certificateAnswer>;
}

const RATE_LIMITED = "Too many signup attempts from this address; wait a minute and try again";

/** Which form field holds each credential Entra may refuse. */
const FIELD_OF_CREDENTIAL: Record<CredentialPart, keyof SignupInput> = {
  tenant: "entraTenantId",
  client: "clientId",
  secret: "clientSecret",
  certificate: "credential",
};

/**
 * Creates the tenant. Every check that needs no one else runs first and
 * spends nothing; the signup budget is spent just before Entra is asked.
 */
export async function signUp(c: Context<ApexEnv>, input: SignupInput): Promise<SignupOutcome> {
  const config = c.get("config");
  const registry = c.get("registry");
  if (config.SIGNUP_INVITE_TOKEN) {
    // Not the signup budget, but not free either: guesses at the invite code cost what an address check costs.
    await spendBudget(c.req.raw, c.env, { limiter: "SIGNUP_CHECK_RATE_LIMITER", scope: "signup-check", message: RATE_LIMITED });
    const presented = input.inviteToken ?? "";
    if (!(await secretsMatch(presented, config.SIGNUP_INVITE_TOKEN))) {
      throw new ApiError(403, "invite_required", "Signup on this gateway needs a valid inviteToken", {
        issues: [{ field: "inviteToken", message: "Enter the invitation code the gateway's operator gave you" }],
      });
    }
  }
  if (await registry.findBySlug(input.slug)) throw slugTaken(input.slug);
  const blocked = await registry.blockedFields({ slug: input.slug, entraTenantId: input.entraTenantId, clientId: input.clientId });
  if (blocked.length > 0) throw blockedByOperator(blocked);

  await spendBudget(c.req.raw, c.env, { limiter: "SIGNUP_RATE_LIMITER", scope: "signup", message: RATE_LIMITED });
  const tenantId = crypto.randomUUID();
  const credential = await signupCredential(c, tenantId, input).catch((error: unknown) => {
    throw withCredentialField(error);
  });
  const adminKey = generateAdminKey();
  let tenant;
  try {
    tenant = await registry.create(
      {
        id: tenantId,
        slug: input.slug,
        displayName: input.orgName,
        adminEmail: input.adminEmail,
        entraTenantId: input.entraTenantId,
        clientId: input.clientId,
        ...envelopeColumns(credential.envelope),
        secretHint: credential.secretHint,
        secretExpiresAt: input.credential === "secret" ? (input.clientSecretExpiresAt ?? null) : null,
        credentialKind: input.credential,
        policy: JSON.stringify(DEFAULT_POLICY),
        cloud: input.cloud,
        adminKeyHash: await hashAdminKey(adminKey),
      },
      credential.certificate,
    );
  } catch (error) {
    if (error instanceof SlugTakenError) throw slugTaken(input.slug);
    if (error instanceof EntraAppTakenError) throw entraAppTaken();
    throw error;
  }
  c.get("tenantCache").invalidate(tenant.slug);
  logEvent("tenant_signed_up", { tenantId, slug: tenant.slug, verified: credential.verified, credential: input.credential });

  const links = onboardingLinks({
    apexUrl: new URL(c.req.url),
    slug: tenant.slug,
    ...cloudEndpoints(config, tenant.cloud),
    entraTenantId: tenant.entraTenantId,
    clientId: tenant.clientId,
    enabledGroups: tenant.policy.enabledGroups,
    readOnly: tenant.policy.readOnly,
  });
  return {
    tenant: { id: tenant.id, slug: tenant.slug, displayName: tenant.displayName },
    adminEmail: input.adminEmail,
    links,
    adminKey,
    verified: credential.verified,
    ...(credential.certificate
      ? { certificate: certificateAnswer(credential.certificate, { tenantUrl: links.tenantUrl, portalUrl: links.entraPortalUrl }) }
      : {}),
  };
}

/**
 * The new tenant's credential: the pasted secret, checked with Entra and
 * sealed under a new data key; or a certificate the gateway generates (its
 * key sealed under a new data key), with which Entra is asked whether the
 * directory and client ID exist. That certificate starts as the active one,
 * unproven until the admin uploads it and verifies it.
 */
async function signupCredential(c: Context<ApexEnv>, tenantId: string, input: SignupInput) {
  const config = c.get("config");
  if (input.credential === "secret") {
    const sealed = await verifyAndSealCredentials(config, { tenantId, ...input, clientSecret: input.clientSecret ?? "" });
    return { envelope: sealed.envelope, secretHint: sealed.secretHint, verified: sealed.verified, certificate: undefined };
  }
  const envelope = await envelopeWithoutSecret(tenantId, { keks: config.keks, activeKekId: config.ACTIVE_KEK_ID });
  const host = new URL(tenantOrigin(new URL(c.req.url), input.slug)).host;
  const stored = await newTenantCertificate(config, { id: tenantId, envelope }, host, input.certificateValidityMonths);
  const probe = await probeWithCertificate(config, { id: tenantId, envelope, ...input }, stored);
  const certificate = { ...certificateRow(tenantId, stored, "active"), verifiedAt: probe.accepted ? new Date() : null };
  return { envelope, secretHint: "", verified: probe.verified, certificate };
}

/** Entra's refusal, pointed at the field it concerns (the secret for AADSTS7000215) when its code tells which. */
function withCredentialField(error: unknown): unknown {
  if (!(error instanceof ApiError) || error.code !== "entra_credentials_rejected") return error;
  const aadsts = error.extra.details?.aadsts;
  const part = credentialConcerned(aadsts);
  if (!part || !aadsts) return error;
  const help = explainAadsts(aadsts, "");
  const message = `${help.charAt(0).toUpperCase()}${help.slice(1)} (${aadsts})`;
  return new ApiError(error.status, error.code, error.message, { ...error.extra, issues: [{ field: FIELD_OF_CREDENTIAL[part], message }] });
}

/** The form's values as the schema reads them: an empty optional field is an absent one. */
function formInput(form: Record<string, unknown>): Record<string, string> {
  const input: Record<string, string> = {};
  for (const field of SIGNUP_FIELDS) {
    const value = form[field];
    if (typeof value !== "string") continue;
    if (value === "" && (field === "clientSecretExpiresAt" || field === "inviteToken" || field === "certificateValidityMonths")) continue;
    input[field] = value;
  }
  // A secret typed before choosing a certificate is not kept, nor refused.
  if (input.credential === "certificate") delete input.clientSecret;
  return input;
}

/** What the form shows again after a refusal: what was typed, except the secret. */
function keptValues(form: Record<string, string>): SignupValues {
  const { clientSecret: _secret, ...kept } = form;
  return kept;
}

/** Reads the form body; anything but a form post is refused as the JSON API refuses non-JSON. */
async function readForm(c: Context<ApexEnv>): Promise<Record<string, string>> {
  const contentType = c.req.header("content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(contentType)) {
    throw new ApiError(415, "unsupported_media_type", "Send the form as application/x-www-form-urlencoded");
  }
  return formInput(await c.req.parseBody());
}

function signupPageOptions(c: Context<ApexEnv>) {
  return { apexUrl: new URL(c.req.url), inviteRequired: Boolean(c.get("config").SIGNUP_INVITE_TOKEN) };
}

export const signupRoute = new Hono<ApexEnv>()
  .get("/signup", (c) => c.html(signupPage({ ...signupPageOptions(c), values: {}, issues: [] }), 200))
  .post(
    "/api/signup",
    (c, next) => jsonBodyLimit(c.get("config").SIGNUP_MAX_BODY_BYTES)(c, next),
    async (c) => {
      const outcome = await signUp(c, await readJsonBody(c, SignupRequestSchema));
      const { links } = outcome;
      return c.json(
        {
          tenant: outcome.tenant,
          ...links,
          credentialsVerified: outcome.verified,
          credential: outcome.certificate ? "certificate" : "secret",
          ...(outcome.certificate ? { certificate: outcome.certificate } : {}),
          adminKey: outcome.adminKey,
          adminKeyNotice: "Store this admin key now: it is shown only once and cannot be recovered.",
          nextSteps: [
            ...(outcome.certificate
              ? [
                  `Upload the gateway's certificate to your app: ${outcome.certificate.uploadSteps.join("; ")}. Until it is uploaded, sign-ins fail with AADSTS700027`,
                ]
              : []),
            ...nextSteps(links, outcome.adminEmail),
          ],
        },
        201,
        { "cache-control": "no-store" },
      );
    },
  )
  .post(
    "/signup",
    (c, next) => jsonBodyLimit(c.get("config").SIGNUP_MAX_BODY_BYTES)(c, next),
    async (c) => {
      const form = await readForm(c);
      try {
        const parsed = SignupRequestSchema.safeParse(form);
        if (!parsed.success) throw validationError(parsed.error);
        const outcome = await signUp(c, parsed.data);
        return c.html(signupResultPage(outcome), 201, { "cache-control": "no-store" });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        const page = signupPage({ ...signupPageOptions(c), values: keptValues(form), issues: formIssues(error), secretCleared: true });
        return c.html(page, error.status, { ...error.extra.headers, "cache-control": "no-store" });
      }
    },
  );

/** The refusal as the form shows it: each field's problem, or one message for the whole form. */
function formIssues(error: ApiError): FieldIssue[] {
  const issues = (error.extra.issues ?? []).filter((issue) => SIGNUP_FIELDS.includes(issue.field as keyof SignupInput));
  return issues.length > 0 ? issues : [{ field: "", message: error.message }];
}

function slugTaken(slug: string): ApiError {
  return new ApiError(409, "slug_taken", `The name "${slug}" is already taken; choose another slug`, {
    issues: [{ field: "slug", message: "This address is already taken; choose another" }],
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
      issues: [{ field: "clientId", message: "This app is already registered here for another organization; register a new app" }],
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
