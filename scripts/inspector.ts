/**
 * `npm run inspector`: MCP Inspector pointed at the local demo organization
 * that `npm run dev` serves, on a fresh machine with no system edits.
 *
 * - Node 22: npm scripts run on the pinned `node` devDependency, which meets
 *   the Inspector's `engines` (Node >= 22.19).
 * - Names: the Inspector's Node processes resolve `*.localhost` to loopback
 *   through scripts/localhost-resolver.mjs, loaded with NODE_OPTIONS, so
 *   `demo.localhost` needs no /etc/hosts line.
 * - TLS: they trust the local certificate authority `npm run dev` made, with
 *   NODE_EXTRA_CA_CERTS (added to a file the caller already named there).
 * - Secrets: the Inspector keeps the sign-in's tokens in memory, not in a
 *   plain file in the home directory (where it writes them on a machine
 *   without a keychain), unless MCP_INSPECTOR_SECRET_STORE says otherwise.
 *
 * The Inspector runs through `npx` at a pinned version rather than as a
 * devDependency: it brings about 110 MB of packages that `npm install` and
 * `npm test` never need. It also prints the equivalent mcp-remote command for
 * other clients. Extra arguments are passed on to the Inspector.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const INSPECTOR = "@modelcontextprotocol/inspector@2.12.0";
const MCP_REMOTE = "mcp-remote@0.15.1";
const GATEWAY_PORT = Number(process.env.GATEWAY_PORT ?? 8787);
const MCP_URL = process.env.MCP_URL ?? `https://demo.localhost:${GATEWAY_PORT}/mcp`;
const CA_FILE = resolve(".wrangler/dev-tls/ca.pem");
/** The local CA together with certificates the caller already trusted through NODE_EXTRA_CA_CERTS. */
const COMBINED_CA_FILE = resolve(".wrangler/dev-tls/node-extra-ca-certs.pem");
const RESOLVER = pathToFileURL(resolve("scripts/localhost-resolver.mjs")).href;

/** NODE_OPTIONS with the resolver added once, keeping whatever the caller set. */
function nodeOptions(existing: string | undefined): string {
  const preload = `--import=${RESOLVER}`;
  return existing?.includes(preload) ? existing : [existing, preload].filter(Boolean).join(" ");
}

/** A word for a POSIX shell: quoted only when it holds something the shell would read. */
function shellWord(word: string): string {
  return /^[\w./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The file for NODE_EXTRA_CA_CERTS. Node reads one file only, and many
 * machines already set it (to the system's bundle, or a company proxy's
 * CA): their certificates stay trusted alongside the local CA rather than
 * being replaced by it.
 */
function extraCaCertsFile(existing: string | undefined): string {
  if (!existing || resolve(existing) === CA_FILE || !existsSync(existing)) return CA_FILE;
  writeFileSync(COMBINED_CA_FILE, `${readFileSync(existing, "utf8").trimEnd()}\n${readFileSync(CA_FILE, "utf8")}`);
  return COMBINED_CA_FILE;
}

/** The command a person pastes to bridge another client (one that starts local servers only) to the demo organization. */
function mcpRemoteCommand(caFile: string): string {
  const words = [`NODE_OPTIONS=--import=${RESOLVER}`, `NODE_EXTRA_CA_CERTS=${caFile}`, "npx", "-y", MCP_REMOTE, MCP_URL];
  return words.map(shellWord).join(" ");
}

if (!existsSync(CA_FILE)) {
  console.error(`No local certificate authority at ${CA_FILE}: start the gateway with \`npm run dev\` first (in another terminal).`);
  process.exit(1);
}

const caFile = extraCaCertsFile(process.env.NODE_EXTRA_CA_CERTS);

console.log(`
  MCP Inspector for ${MCP_URL}
  ----------------------------------------------------------------
  The Inspector opens in your browser with the server filled in: switch it on (Connect), choose
  Allow on the demo organization's consent page, then pick a demo user on the emulator's sign-in page.

  Other clients that start a local command can use mcp-remote the same way:
    ${mcpRemoteCommand(caFile)}
`);

const child = spawn("npx", ["-y", INSPECTOR, "--transport", "http", "--server-url", MCP_URL, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: {
    ...process.env,
    NODE_OPTIONS: nodeOptions(process.env.NODE_OPTIONS),
    NODE_EXTRA_CA_CERTS: caFile,
    MCP_INSPECTOR_SECRET_STORE: process.env.MCP_INSPECTOR_SECRET_STORE ?? "memory",
  },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
