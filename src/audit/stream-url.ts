import { z } from "zod";
import type { Config } from "../config";
import { publicHostProblem } from "../lib/public-host";

/**
 * @module Which SIEM endpoints an organization may stream its audit trail to.
 * The gateway POSTs to this URL from its queue consumer, so it gets
 * the same public-host rules as a client's metadata document (no IP literals,
 * no localhost or special-use names, not the gateway's own domain), https
 * only, no user name or password in the URL (the signature authenticates the
 * gateway; a receiver's own credentials would be stored in clear). A port is
 * allowed: collectors commonly listen on their own (Splunk HEC's is 8088).
 * Origins listed in AUDIT_STREAM_ALLOWED_ORIGINS (local development and tests
 * only; empty in production) are accepted as they are.
 */

export const STREAM_URL_MAX_LENGTH = 2048;

export interface StreamUrlRules {
  /** BASE_DOMAIN. */
  ownDomain: string;
  /** AUDIT_STREAM_ALLOWED_ORIGINS, as origins. */
  allowedOrigins: readonly string[];
}

/** The rules as this deployment's configuration sets them. */
export function streamUrlRulesOf(config: Config): StreamUrlRules {
  return { ownDomain: config.BASE_DOMAIN, allowedOrigins: config.AUDIT_STREAM_ALLOWED_ORIGINS };
}

/** Why the gateway will not stream to this URL, or undefined when it will. */
export function streamUrlProblem(text: string, rules: StreamUrlRules): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "expected an https URL such as https://siem.contoso.com/audit";
  }
  if (url.username !== "" || url.password !== "") return "must not contain a user name or password";
  if (url.hash !== "") return "must not contain a #fragment";
  if (rules.allowedOrigins.includes(url.origin)) return undefined;
  if (url.protocol !== "https:") return "must be an https URL";
  const problem = publicHostProblem(url, rules.ownDomain);
  // The shared rule says "it is …"; here "it" would be the URL, so name the host.
  return problem?.replace(/^it /, "the host ");
}

/** The `url` field of the stream settings, checked against the rules above. */
export function streamUrlSchema(rules: StreamUrlRules) {
  return z
    .string({ error: "expected an https URL" })
    .trim()
    .min(1, "expected an https URL")
    .max(STREAM_URL_MAX_LENGTH, `at most ${STREAM_URL_MAX_LENGTH} characters`)
    .superRefine((value, ctx) => {
      const problem = streamUrlProblem(value, rules);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });
}
