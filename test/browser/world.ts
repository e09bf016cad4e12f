/**
 * @module
 * The browser tests' world: the emulator in a process of its own, the
 * gateway's deploy bundle served by Miniflare over https (as the bench runs
 * it), one organization signed up through the API with a registered MCP
 * client, and one headless Chromium. The browser test file starts it in
 * `beforeAll` rather than in a global setup, so it starts while the workerd
 * tests already run (vitest runs every global setup before any test).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readD1Migrations } from "@cloudflare/vitest-plugin";
import chromium from "@sparticuz/chromium";
import { type Browser, chromium as playwright } from "playwright-core";
import { startEmulatorProcess } from "../../bench/emulator-process";
import { buildDeployBundle, startGateway } from "../../bench/gateway";
import { LoopbackHttp } from "../../bench/http";
import { SignIn, type BenchTenant } from "../../bench/sign-in";
import { benchCertificate } from "../../bench/tls";
import { ADMIN_CONSENT_STATE } from "../../src/tenancy/onboarding";
import { authorizeUrlAt, pkcePair } from "../helpers/oauth-browser";

/**
 * Flags on top of the package's own (made for one page per serverless call):
 * nothing fetched in the background, no first-run work. Left out: its
 * `--disable-web-security` and `--allow-running-insecure-content`, so pages
 * are checked under the same-origin and mixed-content rules a person's
 * browser applies, and `--single-process`, under which closing one test's
 * context ends the browser for all the others.
 */
const EXTRA_FLAGS = ["--disable-background-networking", "--disable-component-update", "--no-first-run"];
const DROPPED_FLAGS = new Set(["--disable-web-security", "--allow-running-insecure-content", "--single-process"]);

export function chromiumArgs(): string[] {
  const args = chromium.args.filter((flag) => !DROPPED_FLAGS.has(flag));
  // Root (a container or CI) cannot use Chromium's sandbox.
  if (process.getuid?.() === 0 && !args.includes("--no-sandbox")) args.push("--no-sandbox");
  return [...args, ...EXTRA_FLAGS];
}

export interface World {
  apexOrigin: string;
  tenantOrigin: string;
  /** The consent page of the organization's registered MCP client. */
  consentUrl: string;
  /** Where Entra's admin-consent redirect lands when the consent was granted. */
  adminConsentResultUrl: string;
  /** The emulator's own origin (plain http on loopback), for its control API. */
  emulatorUrl: string;
  /** The organization's user, as the emulator's sign-in page lists them. */
  user: { userPrincipalName: string; displayName: string };
  browser: Browser;
  /** The organization's Entra side and users, its MCP client, and the sign-in helper that reaches the emulator and gateway. */
  org: { tenant: BenchTenant; signIn: SignIn; http: LoopbackHttp };
  close(): Promise<void>;
}

/** The tenant's one user, who signs in on the emulator's page. */
function userOf(tenant: { users: { userPrincipalName: string; displayName: string }[] }): World["user"] {
  const [user] = tenant.users;
  if (!user) throw new Error("the browser tests' organization has no user");
  return { userPrincipalName: user.userPrincipalName, displayName: user.displayName };
}

export async function startWorld(): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), "gateway-browser-"));
  // What has started, closed in reverse at the end or when a later step fails.
  const started: (() => Promise<void>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const teardown = async () => {
    for (const close of started.toReversed()) await close();
  };
  try {
    const slug = `browser-${randomBytes(3).toString("hex")}`;
    const state = join(dir, "state");
    mkdirSync(state);
    const bundleDir = join(dir, "bundle");
    // The emulator and Chromium start in processes of their own while wrangler builds the bundle.
    const emulatorStarted = startEmulatorProcess().then((emulator) => {
      started.push(() => emulator.close());
      return emulator;
    });
    const browserStarted = chromium
      .executablePath()
      .then((executablePath) => playwright.launch({ executablePath, args: chromiumArgs(), headless: true }))
      .then((browser) => {
        started.push(() => browser.close());
        return browser;
      });
    const tls = await benchCertificate(dir, [`${slug}.localhost`]);
    buildDeployBundle(bundleDir);
    const [emulator, browser] = await Promise.all([emulatorStarted, browserStarted]);
    const gateway = await startGateway({ dir: state, bundleDir, emulatorUrl: emulator.url, tls });
    started.push(() => gateway.close());
    // The SQL files `wrangler d1 migrations apply` runs, straight into the Worker's D1: a second wrangler costs seconds.
    const db = await gateway.database();
    for (const migration of await readD1Migrations("./migrations")) await db.batch(migration.queries.map((query) => db.prepare(query)));
    const http = new LoopbackHttp(tls.ca);
    started.push(() => http.close());
    const signIn = new SignIn(http, emulator.url, gateway.origin);
    const tenant = await signIn.createTenant(slug, `zq${randomBytes(4).toString("hex")}`, 1);
    const { challenge } = await pkcePair();

    return {
      apexOrigin: gateway.origin(),
      tenantOrigin: gateway.origin(slug),
      consentUrl: authorizeUrlAt(gateway.origin(slug), tenant.mcpClientId, challenge),
      adminConsentResultUrl: `${gateway.origin(slug)}/callback?${new URLSearchParams({ state: ADMIN_CONSENT_STATE, admin_consent: "True", tenant: tenant.entraTenantId }).toString()}`,
      emulatorUrl: emulator.url,
      user: userOf(tenant),
      browser,
      org: { tenant, signIn, http },
      close: teardown,
    };
  } catch (error) {
    await teardown();
    throw error;
  }
}
