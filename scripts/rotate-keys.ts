/**
 * Re-wraps every tenant's data key under the active key-encryption key.
 * Usage: OPERATOR_TOKEN=… npm run keys:rotate -- https://mcp.example.com
 * (run it after deploying with the new KEK_<id> secret and ACTIVE_KEK_ID).
 */
// oxlint-disable-next-line unicorn/require-module-specifiers -- the script imports nothing; this makes it a module, for top-level await
export {};

const apex = process.argv[2];
const token = process.env.OPERATOR_TOKEN;
if (!apex || !token) {
  console.error("Usage: OPERATOR_TOKEN=<token> npm run keys:rotate -- <apex URL, e.g. https://mcp.example.com>");
  process.exit(2);
}
const response = await fetch(new URL("/api/operator/rotate-keys", apex), {
  method: "POST",
  headers: { authorization: `Bearer ${token}` },
});
const result = await response.json().catch(() => ({ message: "unreadable response" }));
console.log(JSON.stringify(result, null, 2));
process.exit(response.ok ? 0 : 1);
