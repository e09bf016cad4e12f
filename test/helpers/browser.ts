import { exports } from "cloudflare:workers";
import { Browser as OAuthBrowser } from "./oauth-browser";

/**
 * The OAuth browser (oauth-browser.ts) wired to the Worker under test:
 * gateway hosts are served by the Worker's fetch handler, everything else
 * (the Entra emulator) over real HTTP.
 */
export function workerFetch(request: Request): Promise<Response> {
  return new URL(request.url).hostname.endsWith("mcp.example.com") ? exports.default.fetch(request) : fetch(request);
}

export class Browser extends OAuthBrowser {
  constructor() {
    super(workerFetch);
  }
}
