import { describe, expect, it } from "vitest";
import { describeError } from "../src/lib/log";

describe("what errors leave in the logs", () => {
  it("never logs a query builder's SQL parameters, only the database's own cause", () => {
    const cause = new Error("D1_ERROR: UNIQUE constraint failed: tenants.slug: SQLITE_CONSTRAINT");
    const error = new Error('Failed query: insert into "tenants" ... params: tenant-id,acme,sealed-ciphertext,wrapped-key', { cause });
    error.name = "DrizzleQueryError";
    const text = describeError(error);
    expect(text).toBe("DatabaseError: Error: D1_ERROR: UNIQUE constraint failed: tenants.slug: SQLITE_CONSTRAINT");
    expect(text).not.toContain("sealed-ciphertext");
  });

  it("keeps other errors to their class and message", () => {
    expect(describeError(new TypeError("bad input"))).toBe("TypeError: bad input");
    expect(describeError("a string")).toBe("non-error thrown");
  });
});
