/**
 * @module
 * scripts/localhost-resolver.mjs, loaded into a real child Node process the
 * way `npm run inspector` loads it (NODE_OPTIONS=--import=<file URL>): names
 * under `.localhost` resolve to loopback, `localhost` and other names still
 * go to the system, and `fetch` reaches a local server by `demo.localhost`.
 * In the browser project because that one runs in Node, not workerd.
 */
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const RESOLVER = pathToFileURL(resolve("scripts/localhost-resolver.mjs")).href;

/** What the child reports, as JSON on its stdout. */
const CHILD = `
import dns from "node:dns";
import { lookup as namedLookup } from "node:dns";
const port = Number(process.env.TEST_PORT);
const callback = (name, options) => new Promise((done, fail) => dns.lookup(name, options, (error, address, family) => error ? fail(error) : done(options.all ? address : { address, family })));
const report = {
  demo: await callback("demo.localhost", {}),
  demoAll: await callback("Demo.LocalHost.", { all: true }),
  demoV6: await dns.promises.lookup("demo.localhost", { family: 6 }),
  named: await new Promise((done) => namedLookup("a.b.localhost", (error, address) => done(address))),
  localhost: await callback("localhost", { all: true }),
  fetched: await (await fetch("http://demo.localhost:" + port + "/hello")).text(),
};
process.stdout.write(JSON.stringify(report));
`;

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((request, response) => response.end(`served ${request.headers.host} ${request.url}`));
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
});

async function runChild(nodeOptions: string): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", CHILD], {
    env: { ...process.env, NODE_OPTIONS: nodeOptions, TEST_PORT: String(port) },
    timeout: 20_000,
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe("the .localhost resolver preload", () => {
  it("resolves names under .localhost to loopback, leaves localhost to the system, and lets fetch reach demo.localhost", async () => {
    const report = await runChild(`--import=${RESOLVER}`);
    expect(report.demo).toEqual({ address: "127.0.0.1", family: 4 });
    expect(report.demoAll).toEqual([
      { address: "127.0.0.1", family: 4 },
      { address: "::1", family: 6 },
    ]);
    expect(report.demoV6).toEqual({ address: "::1", family: 6 });
    expect(report.named).toBe("127.0.0.1");
    // The system's own answer for localhost: loopback, whatever order and families it gives.
    const localhost = report.localhost as { address: string }[];
    expect(localhost.length).toBeGreaterThan(0);
    for (const entry of localhost) expect(["127.0.0.1", "::1"]).toContain(entry.address);
    expect(report.fetched).toBe(`served demo.localhost:${port} /hello`);
  });
});
