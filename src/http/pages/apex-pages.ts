import { html } from "hono/html";
import { page } from "./layout";

/** @module The apex landing page; the signup pages are in signup-pages.ts and signup-result-page.ts. */

export function landingPage(apexOrigin: string) {
  return page(
    "Microsoft 365 MCP gateway",
    html`<h1>Microsoft 365 for your AI clients</h1>
      <p>
        Give everyone in your organization a Microsoft 365 MCP server (mail, calendar, contacts, Teams, files and tasks) that signs in
        through <strong>your own</strong> Microsoft Entra app.
      </p>
      <p><a href="/signup">Set up your organization</a> · <a href="/health">Service health</a></p>
      <p class="hint">
        Each organization gets its own address, for example <code>${apexOrigin.replace("://", "://your-org.")}/mcp</code>.
      </p>`,
  );
}
