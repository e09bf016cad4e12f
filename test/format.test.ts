import { describe, expect, it, vi } from "vitest";
import { graphPath, odataString, PathSegmentError, searchPhrase } from "../src/graph/path";
import { graphUrl } from "../src/graph/client";
import { cursorSealer } from "../src/graph/cursor";
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
    expect(graphPath`/me/events/${"a b/c%2e"}`).toBe("/me/events/a%20b%2Fc%252e");
  });

  it("escapes OData string literals and search phrases", () => {
    expect(odataString("O'Brien")).toBe("'O''Brien'");
    expect(searchPhrase('say "hi" \\ now')).toBe('"say \\"hi\\" \\\\ now"');
  });
});

describe("paging cursors", () => {
  const base = "https://graph.microsoft.com";
  const owner = { tenantId: "tenant-a", user: "tid-a.oid-a" };
  const listing = { tool: "list_messages", listing: "inbox" };
  const sealer = cursorSealer("test-cursor-secret-0123456789abcdef0123", owner, base);
  const keyForm = `${base}/v1.0/me/mailFolders('AQMkADAwATM0MDAAMS1hZgA=')/messages?%24select=subject&%24top=25&%24skip=25`;

  it("round-trip Graph's next link, key-form path and all, for the listing and owner they were sealed for", async () => {
    const cursor = (await sealer.seal(listing, keyForm)) ?? "";
    expect(cursor.split(".")).toHaveLength(5);
    expect(cursor).not.toContain("mailFolders");
    expect(await sealer.open(listing, cursor)).toEqual({
      path: "/me/mailFolders('AQMkADAwATM0MDAAMS1hZgA=')/messages",
      query: { $select: "subject", $top: "25", $skip: "25" },
    });
  });

  it("refuse another tool, listing, user or tenant", async () => {
    const cursor = (await sealer.seal(listing, keyForm)) ?? "";
    await expect(sealer.open({ ...listing, tool: "list_events" }, cursor)).rejects.toThrow("cursor belongs to another listing");
    await expect(sealer.open({ ...listing, listing: "sentitems" }, cursor)).rejects.toThrow("cursor belongs to another listing");
    const otherUser = cursorSealer("test-cursor-secret-0123456789abcdef0123", { ...owner, user: "tid-a.oid-b" }, base);
    await expect(otherUser.open(listing, cursor)).rejects.toThrow("cursor was not issued for you");
    const otherTenant = cursorSealer("test-cursor-secret-0123456789abcdef0123", { ...owner, tenantId: "tenant-b" }, base);
    await expect(otherTenant.open(listing, cursor)).rejects.toThrow("cursor was not issued for you");
  });

  it("refuse readable, edited and foreign-key cursors", async () => {
    const readable = btoa(JSON.stringify({ t: "list_files", p: "/me/.\t./users", q: {} })).replace(/=+$/, "");
    await expect(sealer.open(listing, readable)).rejects.toThrow("cursor is not one this server issued");
    const cursor = (await sealer.seal(listing, keyForm)) ?? "";
    const parts = cursor.split(".");
    const body = parts[3] ?? "";
    parts[3] = (body[0] === "A" ? "B" : "A") + body.slice(1);
    await expect(sealer.open(listing, parts.join("."))).rejects.toThrow("cursor is not one this server issued");
    const otherKey = cursorSealer("another-cursor-secret-0123456789abcdef", owner, base);
    await expect(otherKey.open(listing, cursor)).rejects.toThrow("cursor is not one this server issued");
  });

  it("expire after a day, as Graph's own skip tokens do", async () => {
    const cursor = (await sealer.seal(listing, keyForm)) ?? "";
    vi.useFakeTimers({ now: Date.now() + 25 * 3_600_000 });
    try {
      await expect(sealer.open(listing, cursor)).rejects.toThrow("this cursor has expired; list again from the first page");
    } finally {
      vi.useRealTimers();
    }
  });

  it.each([
    ["another origin", "https://evil.example/v1.0/me/messages?$skip=25"],
    ["/beta", `${base}/beta/me/messages?$skip=25`],
    ["a dot segment", `${base}/v1.0/me/../users?$skip=25`],
    ["an encoded dot segment", `${base}/v1.0/me/%2e%2E/users?$skip=25`],
    ["a control character", `${base}/v1.0/me/.\t./users?$skip=25`],
    ["a backslash", `${base}/v1.0/me\\..\\users?$skip=25`],
  ])("are not issued for a next link on %s", async (_why, link) => {
    expect(await sealer.seal(listing, link)).toBeUndefined();
  });
});

describe("Graph paths", () => {
  it.each(["a\tb", "a?b=1", "a#b", "a\\b", "a\u0000b"])("graphPath refuses the id %j", (id) => {
    expect(() => graphPath`/me/todo/lists/${id}/tasks`).toThrow(PathSegmentError);
  });

  it.each(["/me/../users", "/me/%2E%2e/users", "/me//users", "/me/a?b", "/me/a#b", "/me/a\\b", "/me/.\t./users", "me/messages"])(
    "graphUrl refuses the path %j before any request",
    (path) => {
      expect(() => graphUrl("https://graph.microsoft.com", { path })).toThrow(PathSegmentError);
    },
  );

  it("graphUrl keeps a key-form path exactly as given", () => {
    expect(graphUrl("https://graph.microsoft.com", { path: "/me/mailFolders('AQMk%2Bx')/messages", query: { $skip: "25" } })).toBe(
      "https://graph.microsoft.com/v1.0/me/mailFolders('AQMk%2Bx')/messages?%24skip=25",
    );
  });
});

describe("recipients", () => {
  it("parse and print names with addresses", () => {
    const parsed = toRecipients(["Ada Lovelace <ada@contoso.com>", "bob@contoso.com"]);
    expect(parsed).toEqual([
      { emailAddress: { name: "Ada Lovelace", address: "ada@contoso.com" } },
      { emailAddress: { address: "bob@contoso.com" } },
    ]);
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
