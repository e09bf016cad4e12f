import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { inputErrorText } from "../src/agent/register-tools";
import { leanInputSchema } from "../src/agent/lean-schema";
import { callGraph, type GraphRequest } from "../src/graph/client";
import { CursorError, cursorSealer } from "../src/graph/cursor";
import {
  cursorField,
  emailField,
  idField,
  limitField,
  listPage,
  MORE_MATCHES,
  recipientsField,
  textField,
} from "../src/graph/tools/common";
import type { ToolContext } from "../src/graph/tools/types";
import { graphToken, newEntraTenant } from "./helpers/emulator";

/**
 * The fields and list helper every tool is built from (src/graph/tools/common.ts):
 * what each refuses and how it says so, what clients are shown, and that a
 * list answer ends with a cursor only the same tool can open.
 */
function errorOf(shape: z.ZodRawShape, args: unknown): string {
  const parsed = z.strictObject(shape).safeParse(args);
  return parsed.success ? "" : inputErrorText(parsed.error);
}

/** The JSON Schema clients see in tools/list for these fields. */
function advertised(shape: z.ZodRawShape): Record<string, unknown> {
  return leanInputSchema(z.strictObject(shape))["~standard"].jsonSchema.input({ target: "draft-2020-12" });
}

describe("idField", () => {
  const shape = { id: idField("event") };

  it("refuses dot segments and empty ids, naming the field and what it expected", () => {
    for (const id of [".", "..", "", "  "]) {
      expect(errorOf(shape, { id }), JSON.stringify(id)).toBe("Invalid arguments: id: expected the event id from a previous call");
    }
  });

  it("refuses characters no id holds, and takes ids with dots or equals signs", () => {
    for (const id of ["a?b", "a#b", "a\\b", "a\tb"]) expect(errorOf(shape, { id })).toMatch(/^Invalid arguments: id: an id cannot contain/);
    for (const id of ["...", "a..b", "AAMkAGI2TG93AAA=", "19:abc@thread.tacv2"]) expect(errorOf(shape, { id }), id).toBe("");
  });

  it("words the error for a field that also takes names", () => {
    expect(errorOf({ folder: idField("folder", "a folder id or well-known name") }, { folder: ".." })).toBe(
      "Invalid arguments: folder: expected a folder id or well-known name",
    );
  });
});

describe("emailField and recipientsField", () => {
  it("takes plain addresses, trimmed, and refuses anything else", () => {
    expect(z.parse(emailField, " ada@analytical.example ")).toBe("ada@analytical.example");
    for (const value of ["bob", "x@y", "a b@c.example", "Ada <ada@analytical.example>", "a,b@c.example", `${"a".repeat(320)}@c.example`]) {
      expect(errorOf({ from: emailField }, { from: value }), value).toBe("Invalid arguments: from: expected an email address");
    }
  });

  it("takes recipients as addresses or Name <address>, at most 100", () => {
    const shape = { to: recipientsField };
    expect(errorOf(shape, { to: ["ada@analytical.example", "Ada Lovelace <ada@analytical.example>"] })).toBe("");
    expect(errorOf(shape, { to: ["ok@b.example", "Bad <nope>"] })).toBe(
      'Invalid arguments: to.1: expected an email address or "Name <email>"',
    );
    expect(errorOf(shape, { to: Array.from({ length: 101 }, (_, i) => `p${i}@b.example`) })).toBe(
      "Invalid arguments: to: at most 100 recipients",
    );
  });
});

describe("textField", () => {
  it("trims, bounds and, when asked, refuses blank text", () => {
    const shape = { subject: textField(10, { expected: "a subject" }) };
    expect(z.parse(z.object(shape), { subject: "  Retro  " })).toEqual({ subject: "Retro" });
    expect(errorOf(shape, { subject: "   " })).toBe("Invalid arguments: subject: expected a subject");
    expect(errorOf(shape, { subject: "x".repeat(11) })).toBe("Invalid arguments: subject: at most 10 characters");
  });

  it("keeps a body as written", () => {
    expect(z.parse(textField(100, { verbatim: true }), "  indented\n")).toBe("  indented\n");
  });
});

describe("limitField", () => {
  it("takes whole numbers from 1 to its maximum, with its default", () => {
    const shape = { limit: limitField(50) };
    expect(z.parse(z.object(shape), {})).toEqual({ limit: 25 });
    expect(z.parse(z.object({ limit: limitField(100, 50) }), {})).toEqual({ limit: 50 });
    for (const limit of [1, 50]) expect(errorOf(shape, { limit })).toBe("");
    for (const limit of [0, 51, 2.5, -1])
      expect(errorOf(shape, { limit }), String(limit)).toBe("Invalid arguments: limit: expected a whole number from 1 to 50");
  });

  it("is advertised as an integer with its bounds and default", () => {
    const schema = advertised({ limit: limitField(50, 20), cursor: cursorField });
    expect(schema.properties).toEqual({ limit: { type: "integer", minimum: 1, maximum: 50, default: 20 }, cursor: { type: "string" } });
  });
});

describe("listPage", () => {
  async function contextFor(tool: string, token: string, owner: { tenantId: string; user: string }): Promise<ToolContext> {
    return {
      graph: (request: GraphRequest) => callGraph(request, { graphBase: env.GRAPH_BASE, accessToken: token }),
      graphBase: env.GRAPH_BASE,
      user: { name: "Riley Chen", upn: "riley@example" },
      timeZone: async () => "UTC",
      tool,
      cursors: cursorSealer(env.CURSOR_SECRET, owner, env.GRAPH_BASE),
      pdfReader: env.PDF_READER,
    };
  }

  const line = (contact: { displayName?: string; id?: string }) => `${contact.displayName} · id: ${contact.id}`;
  const first: GraphRequest = {
    method: "GET",
    path: "/me/contacts",
    query: { $select: "displayName", $top: "5", $orderby: "displayName" },
  };

  it("answers one line per item and a cursor line naming the tool, which pages on, and only for that tool", async () => {
    const { tenantId, users } = await newEntraTenant();
    const token = await graphToken(tenantId, users[0].oid, ["Contacts.Read"]);
    const owner = { tenantId, user: `${tenantId}.${users[0].oid}` };
    const ctx = await contextFor("list_contacts", token, owner);

    const page1 = await listPage(ctx, first, { cursor: undefined, what: "list your contacts", empty: "No contacts.", line });
    const lines = page1.split("\n");
    expect(lines).toHaveLength(6);
    const cursor = /^More results: call list_contacts with the same arguments and cursor "([\w.-]+)"$/.exec(lines[5] ?? "")?.[1];
    expect(cursor, page1).toBeTruthy();

    const page2 = await listPage(ctx, first, { cursor, what: "list your contacts", empty: "No contacts.", line });
    const ids = (text: string) => text.split("\n").filter((entry) => entry.includes(" · id: "));
    expect(ids(page2)).toHaveLength(5);
    expect(ids(page2).filter((entry) => ids(page1).includes(entry))).toEqual([]);

    const other = await contextFor("list_files", token, owner);
    await expect(listPage(other, first, { cursor, what: "list your files", empty: "Empty.", line })).rejects.toThrow(
      new CursorError("cursor belongs to another listing"),
    );
  });

  it("without a cursor argument, says the sentence it is given when Graph has more", async () => {
    const { tenantId, users } = await newEntraTenant();
    const token = await graphToken(tenantId, users[0].oid, ["Contacts.Read"]);
    const ctx = await contextFor("search_contacts", token, { tenantId, user: `${tenantId}.${users[0].oid}` });
    const text = await listPage(ctx, first, { what: "search your contacts", empty: "No contacts.", line, more: MORE_MATCHES });
    expect(text.split("\n").slice(-1)).toEqual([MORE_MATCHES]);
    expect(text).not.toContain("cursor");
  });
});
