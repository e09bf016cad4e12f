/**
 * @module Makes a Node process resolve every name under `.localhost` to the
 * loopback address, as RFC 6761 §6.3 says name resolution should ("Name
 * resolution APIs and libraries SHOULD recognize localhost names as special
 * and SHOULD always return the IP loopback address for address queries").
 * Browsers and curl already do; Node asks the system resolver, which on many
 * machines answers `ENOTFOUND demo.localhost` until someone edits /etc/hosts.
 *
 * Loaded before anything else with
 * `NODE_OPTIONS=--import=<file URL of this module>`, it wraps `dns.lookup`
 * (callback and promise forms), which `net`, `tls`, `http`, `https` and
 * Node's `fetch` use to resolve host names. Any other name, `localhost`
 * itself included, goes to the real lookup unchanged. Plain JavaScript, so
 * it loads in any Node process without a compiler.
 */
import dns from "node:dns";
import { syncBuiltinESMExports } from "node:module";

const LOOPBACK = [
  { address: "127.0.0.1", family: 4 },
  { address: "::1", family: 6 },
];

/** `demo.localhost`, `Demo.LocalHost.`: a name under `.localhost` (not `localhost` itself, which the system already knows). */
export function isLocalhostSubdomain(hostname) {
  if (typeof hostname !== "string") return false;
  const name = hostname.toLowerCase().replace(/\.$/, "");
  return name.endsWith(".localhost") && name.length > ".localhost".length;
}

/** The loopback answers for the asked family (0, 4 or 6, or the strings "IPv4"/"IPv6"), IPv4 first. */
export function loopbackFor(options) {
  const family = typeof options === "number" ? options : options?.family;
  if (family === 4 || family === "IPv4") return LOOPBACK.filter((entry) => entry.family === 4);
  if (family === 6 || family === "IPv6") return LOOPBACK.filter((entry) => entry.family === 6);
  return LOOPBACK;
}

/** `lookup(hostname[, options], callback)` answered as Node's would be: one address, or all with `options.all`. */
function loopbackLookup(realLookup) {
  return function lookup(hostname, options, callback) {
    const done = typeof options === "function" ? options : callback;
    if (!isLocalhostSubdomain(hostname) || typeof done !== "function") return realLookup.call(this, hostname, options, callback);
    const answers = loopbackFor(typeof options === "function" ? undefined : options);
    const all = typeof options === "object" && options !== null && options.all === true;
    const [first] = answers;
    process.nextTick(() => (all ? done(null, answers) : done(null, first.address, first.family)));
    return {};
  };
}

/** The promise form, `dns.promises.lookup(hostname[, options])`. */
function loopbackLookupPromise(realLookup) {
  return async function lookup(hostname, options) {
    if (!isLocalhostSubdomain(hostname)) return realLookup.call(this, hostname, options);
    const answers = loopbackFor(options);
    return typeof options === "object" && options !== null && options.all === true ? answers : answers[0];
  };
}

if (!dns.lookup.localhostResolver) {
  const lookup = loopbackLookup(dns.lookup);
  lookup.localhostResolver = true;
  dns.lookup = lookup;
  dns.promises.lookup = loopbackLookupPromise(dns.promises.lookup);
  // Named imports (`import { lookup } from "node:dns"`) follow the module object only after this.
  syncBuiltinESMExports();
}
