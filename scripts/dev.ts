/**
 * `npm run dev`: the whole product on one machine with no Microsoft or
 * Cloudflare account. Starts the Microsoft 365 emulator, applies the D1
 * migrations to local storage, runs the gateway and the PDF reader Worker
 * (its PDF_READER service binding) together under one `wrangler dev`, and
 * makes sure the demo organization exists.
 */
import { spawn, spawnSync } from "node:child_process";
import { request as httpsRequest } from "node:https";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { seedDateFromEnv, startEmulator } from "../emulator/node-server";
import { DEMO } from "../emulator/seed";
import { startSiemReceiver } from "../test/siem-receiver";
import { ensureDevCertificate } from "./dev-tls";

const GATEWAY_PORT = Number(process.env.GATEWAY_PORT ?? 8787);
const EMULATOR_PORT = Number(process.env.EMULATOR_PORT ?? 8790);
/** A stand-in SIEM collector, so an organization's audit stream can be tried locally. */
const SIEM_RECEIVER_PORT = Number(process.env.SIEM_RECEIVER_PORT ?? 8791);
/** The PDF reader Worker's own dev session (and the next port, its inspector's). */
const PDF_READER_PORT = Number(process.env.PDF_READER_PORT ?? 8792);
const APEX = `https://localhost:${GATEWAY_PORT}`;
const DEMO_SLUG = "demo";
const DEMO_ORIGIN = `https://${DEMO_SLUG}.localhost:${GATEWAY_PORT}`;
const DEMO_STATE_FILE = ".wrangler/demo-tenant.json";
/** No account, no network: keep wrangler from phoning home. */
const OFFLINE_ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

/** Local settings; secrets are generated once and kept, and settings added by newer versions are appended. */
function ensureDevVars(): void {
  const wanted: Record<string, () => string> = {
    // With the port: the gateway builds issuer, resource and redirect URIs from it.
    BASE_DOMAIN: () => `localhost:${GATEWAY_PORT}`,
    LOGIN_BASE: () => `http://127.0.0.1:${EMULATOR_PORT}`,
    GRAPH_BASE: () => `http://127.0.0.1:${EMULATOR_PORT}`,
    // The emulator's national clouds, each under its own prefix (emulator/clouds.ts).
    LOGIN_BASE_USGOV_HIGH: () => `http://127.0.0.1:${EMULATOR_PORT}/cloud/usgov-high`,
    GRAPH_BASE_USGOV_HIGH: () => `http://127.0.0.1:${EMULATOR_PORT}/cloud/usgov-high`,
    LOGIN_BASE_USGOV_DOD: () => `http://127.0.0.1:${EMULATOR_PORT}/cloud/usgov-dod`,
    GRAPH_BASE_USGOV_DOD: () => `http://127.0.0.1:${EMULATOR_PORT}/cloud/usgov-dod`,
    LOGIN_BASE_CHINA: () => `http://127.0.0.1:${EMULATOR_PORT}/cloud/china`,
    GRAPH_BASE_CHINA: () => `http://127.0.0.1:${EMULATOR_PORT}/cloud/china`,
    ACTIVE_KEK_ID: () => "1",
    KEK_1: () => randomBytes(32).toString("base64"),
    OPERATOR_TOKEN: () => randomBytes(24).toString("hex"),
    CONSENT_SECRET: () => randomBytes(24).toString("hex"),
    CURSOR_SECRET: () => randomBytes(32).toString("hex"),
    AUDIT_STREAM_ALLOWED_ORIGINS: () => `http://127.0.0.1:${SIEM_RECEIVER_PORT}`,
  };
  const original = existsSync(".dev.vars")
    ? readFileSync(".dev.vars", "utf8")
    : "# Local-only settings for `npm run dev` (generated; git-ignored).\n";
  // A file written before BASE_DOMAIN carried the port gets it.
  const existing = original.replace(/^BASE_DOMAIN=localhost$/m, `BASE_DOMAIN=localhost:${GATEWAY_PORT}`);
  const present = new Set(existing.split("\n").map((line) => line.split("=")[0]?.trim()));
  const missing = Object.entries(wanted).filter(([name]) => !present.has(name));
  if (missing.length === 0 && existing === original) return;
  const added = missing.map(([name, value]) => `${name}=${value()}\n`).join("");
  writeFileSync(".dev.vars", `${existing.replace(/\n?$/, "\n")}${added}`, { mode: 0o600 });
  if (missing.length > 0) console.log(`.dev.vars: added ${missing.map(([name]) => name).join(", ")}`);
}

function applyMigrations(): void {
  const result = spawnSync("wrangler", ["d1", "migrations", "apply", "DB", "--local"], {
    stdio: "inherit",
    env: { ...OFFLINE_ENV, CI: "true" },
  });
  if (result.status !== 0) throw new Error("applying the local D1 migrations failed");
}

/** A request to the local gateway, trusting the local development CA. */
function gatewayRequest(path: string, ca: string, body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = httpsRequest(
      `${APEX}${path}`,
      { method: payload ? "POST" : "GET", ca, headers: payload ? { "content-type": "application/json" } : {} },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}

async function waitForGateway(ca: string): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt += 1) {
    try {
      if ((await gatewayRequest("/health", ca)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the gateway did not answer on ${APEX}/health`);
}

async function ensureDemoTenant(ca: string): Promise<Record<string, unknown> | undefined> {
  const response = await gatewayRequest("/api/signup", ca, {
    orgName: DEMO.displayName,
    slug: DEMO_SLUG,
    entraTenantId: DEMO.entraTenantId,
    clientId: DEMO.clientId,
    clientSecret: DEMO.clientSecret,
    adminEmail: "it@fabrikam.example",
  });
  if (response.status === 201) {
    const created = JSON.parse(response.text) as Record<string, unknown>;
    mkdirSync(".wrangler", { recursive: true });
    writeFileSync(DEMO_STATE_FILE, JSON.stringify(created, null, 2), { mode: 0o600 });
    return created;
  }
  if (response.status === 409 && existsSync(DEMO_STATE_FILE)) {
    return JSON.parse(readFileSync(DEMO_STATE_FILE, "utf8")) as Record<string, unknown>;
  }
  console.error(`Could not create the demo tenant: ${response.status} ${response.text}`);
  return undefined;
}

function banner(demo: Record<string, unknown> | undefined, emulatorUrl: string): void {
  const users = DEMO.users.map((user) => `    ${user.displayName} <${user.userPrincipalName}>`).join("\n");
  console.log(`
  m365-mcp-gateway is running locally
  ------------------------------------
  Apex (landing, signup, operator API): ${APEX}
  Demo organization:                    ${DEMO_ORIGIN}
  Demo MCP server URL:                  ${DEMO_ORIGIN}/mcp
  Demo admin key:                       ${String(demo?.adminKey ?? "(see .wrangler/demo-tenant.json)")}
  Microsoft 365 emulator:               ${emulatorUrl}
  Audit stream test collector:          http://127.0.0.1:${SIEM_RECEIVER_PORT}/inbox/<name> (what arrived: /control/<name>)
  Demo users (pick one on the emulator's sign-in page):
${users}

  Tenant hosts are served over https with a local certificate authority:
    browsers:     import .wrangler/dev-tls/ca.pem as a trusted authority (or accept the warning once)
    Node clients: NODE_EXTRA_CA_CERTS=.wrangler/dev-tls/ca.pem (MCP Inspector: \`npm run inspector\` in another terminal)
`);
}

ensureDevVars();
applyMigrations();
const tls = await ensureDevCertificate([`${DEMO_SLUG}.localhost`]);
const ca = readFileSync(tls.ca, "utf8");
const emulator = await startEmulator({ port: EMULATOR_PORT, seedRedirectUri: `${DEMO_ORIGIN}/callback`, seedDate: seedDateFromEnv() });
const siemReceiver = await startSiemReceiver(SIEM_RECEIVER_PORT);
/**
 * The PDF reader Worker, in a `wrangler dev` session of its own: the
 * gateway's PDF_READER binding reaches it through wrangler's local dev
 * registry, as it reaches the deployed one. Not as a second `-c` of the
 * gateway's session: with two configurations, the gateway saw its requests
 * as http, so the demo organization's redirect and MCP URLs came out http.
 */
const pdfReader = spawn(
  "wrangler",
  [
    "dev",
    "-c",
    "pdf.wrangler.toml",
    "--port",
    String(PDF_READER_PORT),
    "--inspector-port",
    String(PDF_READER_PORT + 1),
    "--ip",
    "127.0.0.1",
  ],
  { stdio: "inherit", env: OFFLINE_ENV },
);
const wrangler = spawn(
  "wrangler",
  [
    "dev",
    "--port",
    String(GATEWAY_PORT),
    "--ip",
    "127.0.0.1",
    "--local-protocol",
    "https",
    "--https-key-path",
    tls.key,
    "--https-cert-path",
    tls.cert,
  ],
  {
    stdio: "inherit",
    env: OFFLINE_ENV,
  },
);
let stopping = false;
const stop = async (code: number) => {
  // Either session ending ends both, once.
  if (stopping) return;
  stopping = true;
  wrangler.kill("SIGTERM");
  pdfReader.kill("SIGTERM");
  await emulator.close();
  await siemReceiver.close();
  process.exit(code);
};
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
wrangler.on("exit", (code) => void stop(code ?? 0));
pdfReader.on("exit", (code) => void stop(code ?? 0));

await waitForGateway(ca);
const demo = await ensureDemoTenant(ca);
// The emulator starts empty each run: the demo organization's admin grants the
// app's permissions again (some, such as ChannelMessage.Read.All, only an admin can).
if (typeof demo?.adminConsentUrl === "string") await fetch(demo.adminConsentUrl, { redirect: "manual" });
banner(demo, emulator.url);
