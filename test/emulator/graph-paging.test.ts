import { describe, expect, it } from "vitest";
import { graph, graphToken, signedInUser } from "../helpers/emulator";

/**
 * Next links in Graph's real shapes (a mail folder by key, `$skip` for
 * Outlook, opaque `$skiptoken` for Teams, OneDrive, the directory and
 * `$search`) and each collection's documented query options.
 */
const SCOPES = [
  "Mail.Read",
  "Team.ReadBasic.All",
  "Channel.ReadBasic.All",
  "ChannelMessage.Read.All",
  "Chat.Read",
  "Files.Read",
  "User.ReadBasic.All",
];

type Page = { value: { id: string }[]; "@odata.nextLink"?: string };

async function page(token: string, path: string, headers?: Record<string, string>): Promise<Page> {
  const response = await graph(token, path, { headers });
  expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
  return (await response.json()) as Page;
}

/** The part of a next link after /v1.0, as a client sends it back. */
const tail = (link: string | undefined) => (link ? link.slice(link.indexOf("/v1.0") + "/v1.0".length) : "");

async function refusal(
  token: string,
  path: string,
  headers?: Record<string, string>,
): Promise<{ status: number; code: string; message: string }> {
  const response = await graph(token, path, { headers });
  const body = (await response.json()) as { error?: { code: string; message: string } };
  return { status: response.status, code: body.error?.code ?? "", message: body.error?.message ?? "" };
}

async function twoMembers() {
  const session = await signedInUser(SCOPES);
  return { ...session, otherToken: await graphToken(session.tenantId, session.other.oid, SCOPES) };
}

/** One of each collection that pages with a skip token, as the caller can reach it. */
async function skipTokenListings(token: string): Promise<string[]> {
  const teams = await page(token, "/me/joinedTeams");
  const team = teams.value[0]?.id ?? "";
  const channel = (await page(token, `/teams/${team}/channels`)).value[0]?.id ?? "";
  const chat = (await page(token, "/me/chats?$top=50")).value[0]?.id ?? "";
  return [
    `/teams/${team}/channels/${encodeURIComponent(channel)}/messages?$top=2`,
    "/me/chats?$top=1",
    `/chats/${encodeURIComponent(chat)}/messages?$top=2`,
    "/me/drive/root/children?$top=2",
    "/users?$top=1",
    '/me/messages?$search="invoice"&$top=1',
  ];
}

describe("next links", () => {
  it("name a mail folder by key, and the key form routes like the plain one", async () => {
    const { token } = await signedInUser(SCOPES);
    const inbox = (await page(token, "/me/mailFolders/inbox")) as unknown as { id: string };
    const first = await page(token, "/me/mailFolders/inbox/messages?$select=subject&$top=5");
    const link = first["@odata.nextLink"] ?? "";
    expect(tail(link)).toBe(`/me/mailFolders('${encodeURIComponent(inbox.id)}')/messages?%24select=subject&%24top=5&%24skip=5`);
    const second = await page(token, tail(link));
    expect(second.value).toHaveLength(5);
    expect(second.value.filter((m) => first.value.some((n) => n.id === m.id))).toEqual([]);
    const plain = await page(token, `/me/mailFolders/${encodeURIComponent(inbox.id)}/messages?$select=subject&$top=5&$skip=5`);
    expect(plain.value.map((m) => m.id)).toEqual(second.value.map((m) => m.id));
    expect(((await page(token, "/me/mailFolders('inbox')")) as unknown as { id: string }).id).toBe(inbox.id);
    const message = first.value[0]?.id ?? "";
    expect(((await page(token, `/me/messages('${encodeURIComponent(message)}')?$select=subject`)) as unknown as { id: string }).id).toBe(
      message,
    );
    expect(tail((await page(token, "/me/messages?$top=2"))["@odata.nextLink"])).toBe("/me/messages?%24top=2&%24skip=2");
  });

  it("carry an opaque skip token for Teams, OneDrive, the directory and $search, which pages on", async () => {
    const { token } = await twoMembers();
    for (const path of await skipTokenListings(token)) {
      const headers = path.startsWith("/users") ? { ConsistencyLevel: "eventual" } : undefined;
      const first = await page(token, path, headers);
      const link = first["@odata.nextLink"] ?? "";
      expect(link, path).toMatch(/[?&]%24skiptoken=[\w-]{20,}$/);
      expect(link, path).not.toContain("%24skip=");
      const second = await page(token, tail(link), headers);
      expect(second.value.length, path).toBeGreaterThan(0);
      expect(
        second.value.filter((m) => first.value.some((n) => n.id === m.id)),
        path,
      ).toEqual([]);
    }
  });

  it("refuse a tampered skip token, another user's, or one sent with a changed query", async () => {
    const { token, otherToken } = await twoMembers();
    for (const path of await skipTokenListings(token)) {
      const headers = path.startsWith("/users") ? { ConsistencyLevel: "eventual" } : undefined;
      const next = tail((await page(token, path, headers))["@odata.nextLink"]);
      const token64 = /%24skiptoken=([\w-]+)/.exec(next)?.[1] ?? "";
      // Not the last character: in base64url it may carry only padding bits.
      const edited = next.replace(token64, `${token64.slice(0, -2)}${token64.at(-2) === "A" ? "B" : "A"}${token64.slice(-1)}`);
      for (const [who, path2] of [
        [token, edited],
        [otherToken, next],
        [token, next.replace(/%24top=(\d+)/, (_, top: string) => `%24top=${Number(top) + 1}`)],
      ] as const) {
        expect(await refusal(who, path2, headers), path2).toEqual({
          status: 400,
          code: "BadRequest",
          message: "The $skiptoken is not valid for this request.",
        });
      }
    }
  });
});

describe("query options each collection documents", () => {
  it.each([
    ["$select on the joined teams", "/me/joinedTeams?$select=displayName", "BadRequest", /Query option 'Select' is not allowed/],
    ["$select of members on chats", "/me/chats?$select=members", "BadRequest", /Query option 'Select' is not allowed/],
    [
      "$expand of anything but members or lastMessagePreview on chats",
      "/me/chats?$expand=messages",
      "BadRequest",
      /property named 'messages'/,
    ],
    ["more than 50 chats a page", "/me/chats?$top=51", "BadRequest", /between 1 and 50/],
    [
      "$orderby on chats other than lastMessagePreview/createdDateTime desc",
      "/me/chats?$orderby=lastUpdatedDateTime desc",
      "BadRequest",
      /not supported/,
    ],
    ["$skip on chats, which page by skip token", "/me/chats?$skip=1", "BadRequest", /Query option 'Skip' is not allowed/],
    ["$filter on a folder's children", "/me/drive/root/children?$filter=name eq 'x'", "BadRequest", /Query option 'Filter' is not allowed/],
    ["$skip on /users", "/users?$skip=1", "BadRequest", /Query option 'Skip' is not allowed/],
    ["an unknown option", "/me/messages?$frobnicate=1", "BadRequest", /'\$frobnicate' is not allowed/],
    [
      "$orderby on a property the $filter does not name",
      "/me/messages?$filter=isRead eq false&$orderby=receivedDateTime desc",
      "InefficientFilter",
      /too complex/,
    ],
    [
      "$orderby on a property the $filter names second",
      "/me/messages?$filter=isRead eq false and receivedDateTime ge 1900-01-01T00:00:00Z&$orderby=receivedDateTime desc",
      "InefficientFilter",
      /too complex/,
    ],
    [
      "$search with $filter on messages",
      '/me/messages?$search="invoice"&$filter=isRead eq false',
      "BadRequest",
      /'\$filter' is not supported with '\$search'/,
    ],
    [
      "$search with $orderby on messages",
      '/me/messages?$search="invoice"&$orderby=receivedDateTime desc',
      "BadRequest",
      /'\$orderBy' is not supported with '\$search'/,
    ],
  ])("refuses %s", async (_why, path, code, message) => {
    const { token } = await signedInUser(SCOPES);
    const refused = await refusal(token, path);
    expect(refused.status).toBe(400);
    expect(refused.code).toBe(code);
    expect(refused.message).toMatch(message);
  });

  it("accepts what the docs list: $orderby led by the $filter, chat and channel message options", async () => {
    const { token } = await twoMembers();
    await page(
      token,
      "/me/messages?$filter=receivedDateTime ge 1900-01-01T00:00:00Z and isRead eq false&$orderby=receivedDateTime desc&$top=5",
    );
    const chat =
      (await page(token, "/me/chats?$expand=members&$top=50&$orderby=lastMessagePreview/createdDateTime desc")).value[0]?.id ?? "";
    await page(token, `/chats/${encodeURIComponent(chat)}/messages?$top=50&$orderby=createdDateTime desc`);
    const chatMessages = `/chats/${encodeURIComponent(chat)}/messages`;
    expect((await refusal(token, `${chatMessages}?$orderby=createdDateTime asc`)).status).toBe(400);
    const all = await page(token, `${chatMessages}?$top=50`);
    const since = await page(
      token,
      `${chatMessages}?$top=50&$orderby=lastModifiedDateTime desc&$filter=lastModifiedDateTime gt 1900-01-01T00:00:00Z`,
    );
    expect(since.value.map((m) => m.id).sort()).toEqual(all.value.map((m) => m.id).sort());
    for (const query of [
      "$filter=lastModifiedDateTime gt 1900-01-01T00:00:00Z",
      "$orderby=createdDateTime desc&$filter=lastModifiedDateTime gt 1900-01-01T00:00:00Z",
      "$orderby=createdDateTime desc&$filter=createdDateTime gt 1900-01-01T00:00:00Z",
      "$orderby=createdDateTime desc&$filter=messageType eq 'message'",
    ]) {
      expect(await refusal(token, `${chatMessages}?${query}`), query).toMatchObject({ status: 400, code: "BadRequest" });
    }
    const team = (await page(token, "/me/joinedTeams")).value[0]?.id ?? "";
    const channel = (await page(token, `/teams/${team}/channels?$select=id,displayName`)).value[0]?.id ?? "";
    await page(token, `/teams/${team}/channels/${encodeURIComponent(channel)}/messages?$top=50&$expand=replies`);
    expect((await refusal(token, `/teams/${team}/channels/${encodeURIComponent(channel)}/messages?$select=body`)).status).toBe(400);
  });
});
