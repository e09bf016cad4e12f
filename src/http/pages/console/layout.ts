import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { page } from "../layout";

/**
 * @module The admin console's page shell: the shared layout with the
 * console's navigation (the current section marked for assistive
 * technology), who is signed in, and a sign-out form.
 */

export const CONSOLE_SECTIONS = [
  { id: "setup", href: "/admin", label: "Setup" },
  { id: "policy", href: "/admin/policy", label: "Policy" },
  { id: "credentials", href: "/admin/credentials", label: "Credentials" },
  { id: "users", href: "/admin/users", label: "Users" },
  { id: "alerts", href: "/admin/alerts", label: "Alerts" },
  { id: "audit", href: "/admin/audit", label: "Audit" },
  { id: "usage", href: "/admin/usage", label: "Usage" },
  { id: "streaming", href: "/admin/streaming", label: "Streaming" },
  { id: "settings", href: "/admin/settings", label: "Organization" },
] as const;

export type ConsoleSection = (typeof CONSOLE_SECTIONS)[number]["id"];

export interface ConsolePageContext {
  orgName: string;
  /** The signed-in admin's name as shown. */
  adminName: string;
  csrfToken: string;
  current: ConsoleSection;
}

type Content = HtmlEscapedString | Promise<HtmlEscapedString>;

/** A hidden CSRF field for a console form. */
export function csrfField(token: string) {
  return html`<input type="hidden" name="csrf" value="${token}" />`;
}

export function consolePage(title: string, body: Content, context: ConsolePageContext) {
  return page(
    `${title} · ${context.orgName} admin console`,
    html`<nav class="console-nav" aria-label="Admin console">
        <ul>
          ${CONSOLE_SECTIONS.map(
            (section) =>
              html`<li>
                <a href="${section.href}" ${section.id === context.current ? html`aria-current="page"` : ""}>${section.label}</a>
              </li>`,
          )}
        </ul>
        <form method="post" action="/admin/sign-out" class="console-sign-out">
          ${csrfField(context.csrfToken)}
          <span class="hint">Signed in as ${context.adminName}</span>
          <button type="submit" class="secondary">Sign out</button>
        </form>
      </nav>
      ${body}`,
    { orgName: context.orgName },
  );
}
