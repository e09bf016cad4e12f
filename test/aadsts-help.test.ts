import { describe, expect, it } from "vitest";
import { explainAadsts } from "../src/entra/aadsts";

/** The plain-language help shown to an org admin for the AADSTS codes signup and rotation can hit. */
describe("AADSTS help text", () => {
  it("explains AADSTS700023 as Microsoft documents it: a client assertion audience (or resourceless scope) mismatch", () => {
    const description = "AADSTS700023: Client assertion audience claim does not match Realm issuer. Trace ID: 1 Correlation ID: 2";
    const help = explainAadsts("AADSTS700023", description);
    expect(help).toContain("client assertion");
    expect(help).toContain("audience");
    expect(help).toContain("Directory (tenant) ID");
    expect(help).not.toContain("cannot be used from this tenant");
  });

  it("falls back to Entra's first sentence, without trace ids, for a code it does not know", () => {
    expect(explainAadsts("AADSTS1234567", "AADSTS1234567: Something new happened. Trace ID: abc")).toBe("Something new happened");
  });
});
