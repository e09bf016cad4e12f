import { describe, expect, it } from "vitest";
import { graphPath, odataString, searchPhrase } from "../src/graph/path";
import { decodeCursor, encodeCursor } from "../src/graph/cursor";
import { bodyText, htmlToText, window } from "../src/graph/format/text";
import { formatRecipients, toRecipients } from "../src/graph/format/people";
import { retryDelay } from "../src/graph/retry";

describe("HTML bodies as lean text", () => {
  it("drops styles, scripts, images and long tracking links, keeps words, short links and table cells", () => {
    const html = `<html><head><style>p{color:red}</style></head><body>
      <p>Hello&nbsp;<b>team</b> &amp; friends,</p><script>alert(1)</script>
      <img src="cid:logo"><p>See <a href="https://ex.com/a">the plan</a> and
      <a href="https://track.example.com/${"x".repeat(200)}">this</a>.</p>
      <table><tr><th>Item</th><th>Cost</th></tr><tr><td>Laptop</td><td>1200</td></tr></table></body></html>`;
    const text = htmlToText(html);
    expect(text).toContain("Hello team & friends,");
    expect(text).toContain("the plan <https://ex.com/a>");
    expect(text).not.toContain("track.example.com");
    expect(text).not.toMatch(/color|alert|cid:/);
    expect(text).toMatch(/Laptop\s+1200/);
  });

  it("treats text bodies as text", () => {
    expect(bodyText({ contentType: "text", content: "a\n\n\n\nb" })).toBe("a\n\nb");
  });

  it("cuts long text at a line or word end and says where to continue", () => {
    const text = `${"word ".repeat(100)}\n${"more ".repeat(100)}`;
    const first = window(text, 0, 300);
    expect(first.text.length).toBeLessThanOrEqual(300);
    expect(first.nextOffset).toBe(first.text.length);
    const rest = window(text, first.nextOffset ?? 0, 10_000);
    expect(first.text + rest.text).toBe(text);
    expect(rest.nextOffset).toBeUndefined();
  });
});

describe("Graph paths and OData values from user input", () => {
  it("keeps every value inside its own path segment", () => {
    expect(graphPath`/me/messages/${"../../users/x"}`).toBe("/me/messages/..%2F..%2Fusers%2Fx");
    expect(() => graphPath`/me/messages/${".."}/attachments`).toThrow(/not a valid id/);
    expect(() => graphPath`/me/drive/items/${"."}`).toThrow(/not a valid id/);
    expect(graphPath`/me/events/${"a?b#c"}`).toBe("/me/events/a%3Fb%23c");
  });

  it("escapes OData string literals and search phrases", () => {
    expect(odataString("O'Brien")).toBe("'O''Brien'");
    expect(searchPhrase('say "hi" \\ now')).toBe('"say \\"hi\\" \\\\ now"');
  });
});

describe("paging cursors", () => {
  const base = "https://graph.microsoft.com";
  it("round-trip a nextLink on the Graph origin, bound to one tool", () => {
    const cursor = encodeCursor("list_messages", `${base}/v1.0/me/messages?$skip=25&$top=25`, base) ?? "";
    expect(decodeCursor("list_messages", cursor)).toEqual({ path: "/me/messages", query: { $skip: "25", $top: "25" } });
    expect(() => decodeCursor("list_events", cursor)).toThrow(/belongs to list_messages/);
  });

  it("refuse links to any other origin and cursors that were not issued", () => {
    expect(encodeCursor("list_messages", "https://evil.example/v1.0/me", base)).toBeUndefined();
    expect(() => decodeCursor("list_messages", "not-a-cursor")).toThrow(/not one this server issued/);
  });
});

describe("recipients", () => {
  it("parse and print names with addresses", () => {
    const parsed = toRecipients(["Ada Lovelace <ada@contoso.com>", "bob@contoso.com"]);
    expect(parsed).toEqual([{ emailAddress: { name: "Ada Lovelace", address: "ada@contoso.com" } }, { emailAddress: { address: "bob@contoso.com" } }]);
    expect(formatRecipients(parsed)).toBe("Ada Lovelace <ada@contoso.com>, bob@contoso.com");
  });
});

describe("Graph retry policy", () => {
  it("retries 429 always, 503/504 only when idempotent, honouring Retry-After within bounds", () => {
    expect(retryDelay({ status: 429, attempt: 0, idempotent: false, retryAfter: "2", waitedMs: 0 })).toBe(2000);
    expect(retryDelay({ status: 503, attempt: 0, idempotent: false, retryAfter: null, waitedMs: 0 })).toBeUndefined();
    expect(retryDelay({ status: 503, attempt: 0, idempotent: true, retryAfter: null, waitedMs: 0 })).toBe(500);
    expect(retryDelay({ status: 429, attempt: 3, idempotent: true, retryAfter: "1", waitedMs: 0 })).toBeUndefined();
    expect(retryDelay({ status: 429, attempt: 1, idempotent: true, retryAfter: "60", waitedMs: 15_000 })).toBeUndefined();
    expect(retryDelay({ status: 404, attempt: 0, idempotent: true, retryAfter: null, waitedMs: 0 })).toBeUndefined();
  });
});

describe("forged cursors", () => {
  it("refuse encoded dot segments and paths other than the listing's own", async () => {
    const { pageRequest } = await import("../src/graph/tools/common");
    const forge = (payload: unknown) => btoa(JSON.stringify(payload)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    const first = { method: "GET" as const, path: "/me/drive/root/children" };
    expect(() => pageRequest("list_files", forge({ t: "list_files", p: "/me/%2e%2e/%2E%2E/beta/users", q: {} }), first)).toThrow(/not one this server issued/);
    expect(() => pageRequest("list_files", forge({ t: "list_files", p: "/users", q: { $select: "id" } }), first)).toThrow(/another listing/);
    expect(pageRequest("list_files", forge({ t: "list_files", p: "/me/drive/root/children", q: { $skip: "20" } }), first).query).toEqual({ $skip: "20" });
  });
});
