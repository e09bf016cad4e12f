import { AuthorizationError, CimdFetchError, type AuthRequest, type OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import { Hono, type Context } from "hono";
import { z } from "zod";
import { entraAuthorizeUrl, s256 } from "../../entra/authorize-url";
import { delegatedPermissions } from "../../graph/tool-groups";
import { bytesToBase64Url, randomBytes } from "../../lib/encoding";
import { logEvent } from "../../lib/log";
import { cimdUrlProblem, isMetadataDocumentUrl } from "../../oauth/cimd-guard";
import { redirectSchemeProblem } from "../../oauth/client-metadata";
import { graphScopesFor } from "../../oauth/scopes";
import { cloudEndpoints } from "../../tenancy/clouds";
import { withCleanClientName } from "../../tenancy/names";
import type { TenantEnv } from "../context";
import { consentFormAction, consentPage, problemPage, withPageHeaders } from "../pages/sign-in-pages";
import { oauthContext, type UpstreamData } from "../tenant-oauth";
import { auditClient, consentEvent, redirectHostOf } from "../../audit/events";
import { auditOf, partyOf } from "../audit";

/**
 * @module GET/POST /authorize: the consent page for an MCP client, then the redirect
 * to the org's own Entra app. Nothing reaches Entra before the user approved
 * this client in this browser (or approved it before, remembered by cookie).
 */

/** Starts the Entra leg: PKCE verifier and nonce stay server-side in the upstream record. */
async function redirectToEntra(c: Context<TenantEnv>, oauth: OAuthHelpers, origin: string, request: AuthRequest, headers?: Headers) {
  const tenant = c.get("tenant");
  const endpoints = cloudEndpoints(c.get("config"), tenant.cloud);
  const data: UpstreamData = { verifier: bytesToBase64Url(randomBytes(48)), nonce: bytesToBase64Url(randomBytes(24)) };
  const upstream = await oauth.beginUpstream(request, { data, headers });
  upstream.headers.set(
    "location",
    entraAuthorizeUrl(
      { loginBase: endpoints.loginBase, entraTenantId: tenant.entraTenantId, clientId: tenant.clientId },
      {
        redirectUri: `${origin}/callback`,
        scopes: graphScopesFor(tenant.policy, endpoints.graphResource),
        state: upstream.state,
        nonce: data.nonce,
        codeChallenge: await s256(data.verifier),
      },
    ),
  );
  return new Response(null, { status: 302, headers: upstream.headers });
}

async function authorizationFailure(error: unknown): Promise<Response> {
  if (error instanceof AuthorizationError && error.redirectTo) return Response.redirect(error.redirectTo, 302);
  if (error instanceof AuthorizationError) return problemPage(400, "This sign-in request is not valid", error.description);
  if (error instanceof CimdFetchError)
    return problemPage(400, "This app could not be verified", "Its client metadata document could not be fetched or is invalid.");
  throw error;
}

/**
 * Writes the consent decision's audit event. The user is not known yet (they
 * sign in to Microsoft after approving); a denial names no client, as the
 * provider hands back only the redirect.
 */
async function auditConsent(
  c: Context<TenantEnv>,
  oauth: OAuthHelpers,
  decision: "approved" | "denied",
  redirectTo: string,
  request?: AuthRequest,
): Promise<void> {
  const described = request ? await oauth.describeConsent(request).catch(() => undefined) : undefined;
  const client = request ? auditClient(request.clientId, described ? withCleanClientName(described).clientName : undefined) : undefined;
  const redirectHost = redirectHostOf(redirectTo);
  auditOf(c).record(
    consentEvent(partyOf(c, c.get("tenant").id, { type: "user" }, client), {
      decision,
      ...(redirectHost ? { redirectHost } : {}),
      ...(request?.scope.length ? { requestedScopes: request.scope } : {}),
    }),
  );
}

const ConsentForm = z.object({ handle: z.string().min(1).max(512), decision: z.enum(["approve", "deny"]) });

export const authorizeRoutes = new Hono<TenantEnv>()
  .get("/authorize", async (c) => {
    const { oauth, origin } = oauthContext(c);
    // Bound to the tenant too: a slug that is offboarded and signed up again by
    // another org must not inherit the old org's remembered approvals.
    const remember = { secret: c.get("config").CONSENT_SECRET, subject: c.get("tenant").id };
    const clientId = c.req.query("client_id") ?? "";
    const refused = isMetadataDocumentUrl(clientId) ? cimdUrlProblem(clientId, c.get("config").BASE_DOMAIN) : undefined;
    if (refused) {
      logEvent("cimd_refused", { tenantId: c.get("tenant").id, reason: refused });
      return problemPage(400, "This app could not be verified", `Its client ID is a web address this gateway does not fetch: ${refused}.`);
    }
    try {
      const request = await oauth.parseAuthRequest(c.req.raw);
      // The provider accepts any private-use scheme once the tenant allows them, and a client metadata
      // document's redirect URIs never pass registration: only the schemes the policy allows are used.
      if (redirectSchemeProblem(request.redirectUri)) {
        return problemPage(
          400,
          "This app's sign-in address is not allowed",
          "It asks to send access to a kind of address that this gateway never sends sign-ins to.",
        );
      }
      if (await oauth.isConsentRemembered(c.req.raw, request, remember)) {
        return redirectToEntra(c, oauth, origin, request);
      }
      const details = withCleanClientName(await oauth.describeConsent(request));
      const consent = await oauth.beginConsent(request);
      const tenant = c.get("tenant");
      const permissions = delegatedPermissions(tenant.policy.enabledGroups, tenant.policy.readOnly);
      const body = await consentPage({ tenant, details, handle: consent.handle, permissions }).toString();
      const headers = withPageHeaders(consent.headers);
      headers.set("content-security-policy", consentFormAction(details, cloudEndpoints(c.get("config"), tenant.cloud).loginBase));
      return new Response(body, { status: 200, headers });
    } catch (error) {
      return authorizationFailure(error);
    }
  })
  .post("/authorize", async (c) => {
    const { oauth, origin } = oauthContext(c);
    const fields = await c.req.raw
      .clone()
      .formData()
      .then(Object.fromEntries, () => undefined);
    const form = ConsentForm.safeParse(fields);
    if (!form.success) return problemPage(400, "This consent form is not valid", "Open the sign-in link from your app again.");
    try {
      if (form.data.decision === "deny") {
        const denied = await oauth.denyConsent(c.req.raw, form.data.handle);
        denied.headers.set("location", denied.redirectTo);
        logEvent("consent_denied", { tenantId: c.get("tenant").id });
        await auditConsent(c, oauth, "denied", denied.redirectTo);
        return new Response(null, { status: 302, headers: denied.headers });
      }
      const approved = await oauth.approveConsent(c.req.raw, form.data.handle, {
        remember: { secret: c.get("config").CONSENT_SECRET, subject: c.get("tenant").id },
      });
      await auditConsent(c, oauth, "approved", approved.request.redirectUri, approved.request);
      return redirectToEntra(c, oauth, origin, approved.request, approved.headers);
    } catch (error) {
      if (error instanceof AuthorizationError) {
        return problemPage(
          400,
          "This consent page has expired",
          "It was already used, is older than ten minutes, or was opened in another browser.",
        );
      }
      throw error;
    }
  });
