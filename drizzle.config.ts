import { defineConfig } from "drizzle-kit";

// Generates flat SQL into migrations/, which `wrangler d1 migrations apply` runs.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/tenancy/schema.ts",
  out: "./migrations",
});
