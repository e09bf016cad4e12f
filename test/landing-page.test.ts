import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, createTenant, tenantUrl } from "./helpers/gateway";
import { connectedUser } from "./helpers/mcp";
import { adminCall } from "./helpers/tenants";
import { authorizeUrl, Browser, CLIENT_REDIRECT, pkcePair, registerClient, tenantWithUser } from "./helpers/oauth-flow";
import { openConsent } from "./helpers/oauth-browser";

/**
 * The tenant landing page: the MCP URL to copy, steps per AI client whose
 * every command and link carries the tenant's exact MCP URL, install links
 * in the shape each client documents, and the tools `tools/list` really
 * gives a user under the organization's policy.
 */

const BROWSER = { accept: "text/html" };

/** What hono's `html` escapes, decoded: the text a browser shows or an attribute's value. */
function unescapeHtml(text: string): string {
  return text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&amp;", "&");
}

/** The text of the element with this id, as the copy button copies it (trimmed). */
function textOfId(page: string, id: string): string {
  const match = new RegExp(`<pre id="${id}">([\\s\\S]*?)</pre>`).exec(page);
  if (!match?.[1]) throw new Error(`no <pre id="${id}"> on the page`);
  return unescapeHtml(match[1]).trim();
}

/** Every copy button's target id. */
function copyTargets(page: string): string[] {
  return [...page.matchAll(/<button[^>]*data-copy="([^"]+)"/g)].map((match) => match[1] ?? "");
}

function hrefOf(page: string, label: string): string {
  const match = new RegExp(`<a class="install-link" href="([^"]+)">${label}</a>`).exec(page);
  if (!match?.[1]) throw new Error(`no install link "${label}"`);
  return unescapeHtml(match[1]);
}

/** The tool names the page lists, in page order. */
function listedTools(page: string): string[] {
  return [...page.matchAll(/<code class="tool">([^<]+)<\/code>/g)].map((match) => match[1] ?? "");
}

async function landingPage(slug: string): Promise<string> {
  const response = await call(tenantUrl(slug, "/"), { headers: BROWSER });
  expect(response.status).toBe(200);
  return response.text();
}

describe("the tenant landing page", () => {
  it("puts the MCP URL first with a copy button, and every client's text carries that exact URL", async () => {
    const tenant = await createTenant({ orgName: "Landing <Org> & Co" });
    const mcpUrl = tenant.mcpUrl;
    const page = await landingPage(tenant.tenant.slug);
    expect(textOfId(page, "mcp-url")).toBe(mcpUrl);
    expect(page.indexOf('id="mcp-url"')).toBeLessThan(page.indexOf("<details"));
    // Every copy button points at text on the page, and every copied text names the URL.
    const targets = copyTargets(page);
    expect(targets).toEqual(
      expect.arrayContaining(["mcp-url", "connect-claude-url", "connect-claude-code-command", "connect-chatgpt-url"]),
    );
    for (const id of targets) expect(textOfId(page, id), id).toContain(id === "connect-cursor-link" ? "cursor://" : mcpUrl);
    expect(new Set(targets).size).toBe(targets.length);
    // The organization's name is text, never markup.
    expect(page).toContain("Landing &lt;Org&gt; &amp; Co");
    expect(page).not.toContain("<Org>");
  });

  it("gives Claude Code, VS Code and mcp-remote the commands and configuration their docs show", async () => {
    const tenant = await createTenant();
    const { slug } = tenant.tenant;
    const page = await landingPage(slug);
    const name = `${slug}-m365`;
    expect(textOfId(page, "connect-claude-code-command")).toBe(`claude mcp add --transport http ${name} ${tenant.mcpUrl}`);
    const vsCode = /^code --add-mcp '(.+)'$/.exec(textOfId(page, "connect-vscode-command"));
    expect(JSON.parse(vsCode?.[1] ?? "null")).toEqual({ name, type: "http", url: tenant.mcpUrl });
    expect(JSON.parse(textOfId(page, "connect-mcp-remote-config"))).toEqual({
      mcpServers: { [name]: { command: "npx", args: ["-y", "mcp-remote", tenant.mcpUrl] } },
    });
  });

  it("links Cursor and VS Code installs in the documented shapes, decoding to the server's URL", async () => {
    const tenant = await createTenant();
    const { slug } = tenant.tenant;
    const page = await landingPage(slug);
    // Attributes are escaped: a raw `&` never reaches the markup.
    expect(page).toMatch(/href="cursor:\/\/anysphere\.cursor-deeplink\/mcp\/install\?name=[^"&]+&amp;config=/);

    const cursor = new URL(hrefOf(page, "Add to Cursor"));
    expect(`${cursor.protocol}//${cursor.host}${cursor.pathname}`).toBe("cursor://anysphere.cursor-deeplink/mcp/install");
    expect(cursor.searchParams.get("name")).toBe(`${slug}-m365`);
    expect(JSON.parse(atob(cursor.searchParams.get("config") ?? ""))).toEqual({ url: tenant.mcpUrl });
    expect(textOfId(page, "connect-cursor-link")).toBe(cursor.toString());

    const vsCode = hrefOf(page, "Add to VS Code");
    expect(vsCode.startsWith("vscode:mcp/install?")).toBe(true);
    expect(JSON.parse(decodeURIComponent(vsCode.slice("vscode:mcp/install?".length)))).toEqual({
      name: `${slug}-m365`,
      type: "http",
      url: tenant.mcpUrl,
    });
  });

  it("one disclosure per client, each naming the documentation its steps follow", async () => {
    const tenant = await createTenant();
    const page = await landingPage(tenant.tenant.slug);
    const summaries = [...page.matchAll(/<summary>([^<]+)<\/summary>/g)].map((match) => match[1]);
    expect(summaries).toEqual(["Claude (claude.ai and Claude Desktop)", "Claude Code", "ChatGPT", "Cursor", "VS Code", "Any other client"]);
    for (const docs of [
      "https://support.claude.com/",
      "https://code.claude.com/docs/en/mcp",
      "https://developers.openai.com/",
      "https://cursor.com/docs/mcp/install-links",
      "https://code.visualstudio.com/docs/",
      "https://www.npmjs.com/package/mcp-remote",
    ]) {
      expect(page).toContain(`href="${docs}`);
    }
  });

  it("says read-only when the policy is, and read and write when it is not", async () => {
    const tenant = await createTenant({ orgName: "Policy Wording Org" });
    const { slug } = tenant.tenant;
    const writable = await landingPage(slug);
    expect(writable).toContain("<strong>Read and write.</strong>");
    expect(writable).not.toContain("Read-only.");
    expect(writable).toContain("Read, send, move and draft your mail");

    const patched = await adminCall(slug, "/policy", tenant.adminKey, { method: "PATCH", json: { readOnly: true } });
    expect(patched.status).toBe(200);
    const readOnly = await landingPage(slug);
    expect(readOnly).toContain(
      "<strong>Read-only.</strong> Policy Wording Org allows reading only: nothing can be sent, changed or deleted.",
    );
    expect(readOnly).not.toContain("Read and write.");
    expect(readOnly).toContain("Read your mail");
    expect(readOnly).not.toContain("send_mail");
  });

  it.for([
    { name: "read-only, two groups", policy: { readOnly: true, enabledGroups: ["mail", "calendar"] } },
    {
      name: "read and write, every group",
      policy: { readOnly: false, enabledGroups: ["mail", "calendar", "contacts", "teams", "files", "tasks"] },
    },
    { name: "read and write, tasks only", policy: { readOnly: false, enabledGroups: ["tasks"] } },
  ])("lists exactly the tools tools/list returns ($name)", async ({ policy }) => {
    const user = await connectedUser({ policy });
    const listed = (await user.listTools()).map((tool) => tool.name);
    expect(listed.length).toBeGreaterThan(1);
    const page = await landingPage(user.tenant.slug);
    expect(listedTools(page).toSorted()).toEqual(listed.toSorted());
  });

  it("shows one organization's URL and policy, never another's", async () => {
    const first = await createTenant({ orgName: "First Landing Org" });
    const second = await createTenant({ orgName: "Second Landing Org" });
    expect((await adminCall(second.tenant.slug, "/policy", second.adminKey, { method: "PATCH", json: { readOnly: true } })).status).toBe(
      200,
    );
    const page = await landingPage(first.tenant.slug);
    expect(page).toContain(first.mcpUrl);
    expect(page).not.toContain(second.mcpUrl);
    expect(page).not.toContain("Second Landing Org");
    expect(page).toContain("<strong>Read and write.</strong>");
  });
});

describe("the consent page", () => {
  it("says where access can be taken back: the org's admin console and Microsoft's My Apps", async () => {
    const tenant = await tenantWithUser({ orgName: "Revoke Note Org" });
    const client = await registerClient(tenant.slug);
    const { challenge } = await pkcePair();
    const { html } = await openConsent(new Browser(), authorizeUrl(tenant.slug, client.client_id, challenge));
    expect(html).toContain("Changing your mind later:");
    expect(html).toContain("Revoke Note Org's gateway administrators can disconnect Test MCP client from your");
    expect(html).toContain('<a href="/admin">admin console</a>');
    expect(html).toContain('<a href="https://myapplications.microsoft.com">My Apps</a>');
  });

  it("lets its form lead on to Entra's sign-in and back to the app, and no page else anywhere", async () => {
    const tenant = await tenantWithUser();
    const client = await registerClient(tenant.slug);
    const { challenge } = await pkcePair();
    const { response } = await openConsent(new Browser(), authorizeUrl(tenant.slug, client.client_id, challenge));
    const formAction = (response.headers.get("content-security-policy") ?? "").split("; ").find((part) => part.startsWith("form-action"));
    // Browsers check form-action on each redirect after Allow (to Entra) and Deny (to the app's redirect URI).
    expect(formAction).toBe(`form-action 'self' ${new URL(env.LOGIN_BASE).origin} ${new URL(CLIENT_REDIRECT).origin}`);
    const landing = await call(tenantUrl(tenant.slug, "/"), { headers: BROWSER });
    expect(landing.headers.get("content-security-policy")).toContain("form-action 'self';");
  });

  it("names a private-use redirect by its scheme in form-action", async () => {
    const tenant = await tenantWithUser();
    const allowed = await adminCall(tenant.slug, "/policy", tenant.adminKey, {
      method: "PATCH",
      json: { allowCustomSchemeRedirects: true },
    });
    expect(allowed.status).toBe(200);
    const redirect = "cursor://anysphere.cursor-mcp/oauth/callback";
    const client = await registerClient(tenant.slug, [redirect]);
    const { challenge } = await pkcePair();
    const { response } = await openConsent(
      new Browser(),
      authorizeUrl(tenant.slug, client.client_id, challenge, { redirect_uri: redirect }),
    );
    const formAction = (response.headers.get("content-security-policy") ?? "").split("; ").find((part) => part.startsWith("form-action"));
    expect(formAction).toBe(`form-action 'self' ${new URL(env.LOGIN_BASE).origin} cursor:`);
  });
});
