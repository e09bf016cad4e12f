import { html } from "hono/html";
import { page } from "./layout";

/**
 * @module The pages a browser gets instead of an error's JSON: what happened
 * and what to do next, in the same layout as every other page. API clients
 * keep the JSON (src/http/on-error.ts decides which one a request gets).
 */

interface ErrorAdvice {
  title: string;
  advice: string;
}

/** Titles and next steps per error code; a code without its own entry falls back on its status. */
const ADVICE_BY_CODE: Record<string, ErrorAdvice> = {
  tenant_not_found: {
    title: "No organization at this address",
    advice: "Check the address for typing mistakes, or ask your administrator for your organization's gateway address.",
  },
  unknown_host: {
    title: "This address is not served here",
    advice: "Check the address for typing mistakes.",
  },
  tenant_suspended: {
    title: "This organization is suspended",
    advice: "Nobody can sign in or use its MCP server until it is resumed. Ask your administrator.",
  },
  rate_limited: {
    title: "Too many requests",
    advice: "Wait a minute, then try again.",
  },
  gateway_misconfigured: {
    title: "The gateway is not available",
    advice: "Try again later.",
  },
  not_found: {
    title: "Page not found",
    advice: "Check the address, or start from the home page.",
  },
};

const ADVICE_BY_STATUS: Record<number, ErrorAdvice> = {
  400: { title: "This request is not valid", advice: "Go back and try again." },
  401: { title: "Sign-in needed", advice: "Connect from your AI client, which signs you in." },
  403: { title: "Not allowed", advice: "Ask your administrator if you need access." },
  404: { title: "Not found", advice: "Check the address, or start from the home page." },
  429: { title: "Too many requests", advice: "Wait a minute, then try again." },
  503: { title: "Temporarily unavailable", advice: "Try again in a few minutes." },
};

const FALLBACK: ErrorAdvice = { title: "Something went wrong", advice: "Try again in a few minutes." };

function sentence(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}

export function errorPage(input: { status: number; code: string; message: string; orgName?: string }) {
  const { title, advice } = ADVICE_BY_CODE[input.code] ?? ADVICE_BY_STATUS[input.status] ?? FALLBACK;
  return page(
    title,
    html`<h1>${title}</h1>
      <p>${sentence(input.message)}</p>
      <p>${advice}</p>
      <p class="hint">Error ${input.status} (<code>${input.code}</code>)</p>`,
    { orgName: input.orgName },
  );
}

/**
 * What a browser sees opening an org's `/mcp` address: it is not a web page but
 * an MCP server URL to paste into an AI client, which then signs the user in.
 */
export function mcpInBrowserPage(mcpUrl: string, orgName: string) {
  return page(
    "This is an MCP server address",
    html`<h1>This is an MCP server address</h1>
      <p>
        <code>${mcpUrl}</code> is not a web page: it is the address of ${orgName}'s Microsoft 365 MCP server, for an AI client (Claude,
        ChatGPT, Cursor, VS Code, MCP Inspector).
      </p>
      <p>Add it to your AI client as a remote MCP server:</p>
      <pre>${mcpUrl}</pre>
      <p>Your client then opens a sign-in page; sign in with your ${orgName} Microsoft account.</p>`,
    { orgName },
  );
}
