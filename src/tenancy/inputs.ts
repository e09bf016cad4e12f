import { z } from "zod";
import { cleanDisplayName } from "./names";

/** @module Field schemas shared by signup and the tenant admin API. */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GUID_EXAMPLE = "a GUID like 00000000-0000-0000-0000-000000000000";
const MULTI_TENANT_ALIASES = new Set(["common", "organizations", "consumers"]);

/** The messages say what to enter and where it is, for a person filling in the signup form as much as for an API client. */
export const EntraTenantIdSchema = z
  .string({ error: `Enter the Directory (tenant) ID: ${GUID_EXAMPLE}` })
  .trim()
  .superRefine((value, ctx) => {
    if (GUID.test(value)) return;
    const lower = value.toLowerCase();
    const message = MULTI_TENANT_ALIASES.has(lower)
      ? `"${lower}" is a multi-tenant alias; enter your Directory (tenant) ID, a GUID`
      : lower.includes(".")
        ? "enter the Directory (tenant) ID GUID, not a domain name"
        : value === ""
          ? `Enter the Directory (tenant) ID: ${GUID_EXAMPLE}`
          : `expected the Directory (tenant) ID, ${GUID_EXAMPLE}`;
    ctx.addIssue({ code: "custom", message });
  })
  .transform((value) => value.toLowerCase());

export const ClientIdSchema = z
  .string({ error: `Enter the Application (client) ID: ${GUID_EXAMPLE}` })
  .trim()
  .min(1, { message: `Enter the Application (client) ID: ${GUID_EXAMPLE}`, abort: true })
  .regex(GUID, `expected the Application (client) ID, ${GUID_EXAMPLE}`)
  .transform((value) => value.toLowerCase());

/** Entra secrets are 40 characters today; 256 leaves room without inviting abuse. */
export const ClientSecretSchema = z
  .string({ error: "Enter the client secret's Value (not its Secret ID)" })
  .min(1, { message: "Enter the client secret's Value (not its Secret ID)", abort: true })
  .max(256, "a client secret is at most 256 characters")
  .refine((value) => value.trim() === value, "remove spaces before or after the secret");

export const SecretExpirySchema = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: "expected a date as year-month-day, such as 2027-06-30 (ISO 8601)",
  })
  .transform((value) => new Date(value))
  .refine((date) => date.getTime() > Date.now(), "this date is in the past: the secret has already expired");

/** The organization's name as its users will see it: invisible and bidi characters are dropped first. */
export const OrgNameSchema = z
  .string({ error: "Enter your organization's name" })
  .transform(cleanDisplayName)
  .pipe(
    z
      .string()
      .min(1, { message: "Enter your organization's name", abort: true })
      .min(2, "expected at least 2 characters, not counting invisible ones")
      .max(100, "at most 100 characters"),
  );

/** The first administrator of the organization's console: the work account they sign in with. */
export const AdminEmailSchema = z
  .string({ error: "Enter the email address or user name of your work account, like it@contoso.com" })
  .trim()
  .min(1, { message: "Enter the email address or user name of your work account, like it@contoso.com", abort: true })
  .pipe(z.email("expected an email address or user name (UPN) like it@contoso.com").max(254, "at most 254 characters"));
