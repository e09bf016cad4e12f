import { describe, expect, it } from "vitest";
import { emulator, graph, graphToken, newEntraTenant, signedInUser, TEST_OIDS } from "../helpers/emulator";
import { writeDay } from "../helpers/seed-date";

interface Team {
  id: string;
  displayName: string;
  webUrl: string;
  tenantId: string;
}
interface Channel {
  id: string;
  displayName: string;
  membershipType: string;
}
interface ChatMessage {
  id: string;
  messageType: string;
  createdDateTime: string;
  replyToId: string | null;
  webUrl: string;
  from: { user: { id: string; displayName: string } };
  body: { contentType: string; content: string };
  mentions: { id: number; mentioned: { user: { id: string } } }[];
  replies?: ChatMessage[];
}
interface Chat {
  id: string;
  topic: string | null;
  chatType: string;
  lastUpdatedDateTime: string;
  webUrl: string;
  members?: { userId: string; displayName: string }[];
}
type List<T> = { value: T[]; "@odata.nextLink"?: string };

const ALL = [
  "Team.ReadBasic.All",
  "Channel.ReadBasic.All",
  "ChannelMessage.Read.All",
  "ChannelMessage.Send",
  "Chat.ReadWrite",
  "OnlineMeetings.ReadWrite",
];

async function json<T>(token: string, path: string): Promise<T> {
  const response = await graph(token, path);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

async function allPages<T>(token: string, path: string): Promise<T[]> {
  const items: T[] = [];
  for (let next: string | undefined = path; next;) {
    const page: List<T> = await json<List<T>>(token, next);
    items.push(...page.value);
    const link = page["@odata.nextLink"];
    next = link ? link.slice(link.indexOf("/v1.0") + 5) : undefined;
  }
  return items;
}

/** A tenant with two signed-in members: `token` (first user) and `otherToken` (second). */
async function twoMembers(scopes = ALL) {
  const session = await signedInUser(scopes);
  return { ...session, otherToken: await graphToken(session.tenantId, session.other.oid, scopes) };
}

async function teamNamed(token: string, name: string): Promise<Team> {
  const teams = await json<List<Team>>(token, "/me/joinedTeams");
  const team = teams.value.find((t) => t.displayName === name);
  if (!team) throw new Error(`not a member of ${name}`);
  return team;
}

const channelPath = async (token: string, team: Team) => {
  const channels = await json<List<Channel>>(token, `/teams/${team.id}/channels`);
  return `/teams/${team.id}/channels/${encodeURIComponent(channels.value[1]?.id ?? "")}`;
};

describe("emulated Graph Teams: teams and channels", () => {
  it("lists joined teams and their channels in Graph's shapes", async () => {
    const { token, otherToken, tenantId } = await twoMembers();
    const mine = await json<List<Team>>(token, "/me/joinedTeams");
    expect(mine.value.map((t) => t.displayName).sort()).toEqual(["Atlas Platform", "Design Studio", "Field Operations"]);
    expect(mine.value[0]).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      tenantId,
      webUrl: expect.stringContaining("https://teams.microsoft.com/l/team/"),
    });
    const theirs = await json<List<Team>>(otherToken, "/me/joinedTeams");
    expect(theirs.value.map((t) => t.displayName).sort()).toEqual(["Atlas Platform", "Design Studio", "People & Culture"]);
    // The joined-teams list documents no query options, so even $select is refused.
    expect((await graph(otherToken, "/me/joinedTeams?$select=displayName")).status).toBe(400);
    const atlas = await teamNamed(token, "Atlas Platform");
    const channels = await json<List<Channel>>(token, `/teams/${atlas.id}/channels`);
    expect(channels.value[0]?.displayName).toBe("General");
    expect(channels.value.length).toBeGreaterThanOrEqual(3);
    for (const channel of channels.value)
      expect(channel).toMatchObject({ id: expect.stringMatching(/^19:[0-9a-f]+@thread\.tacv2$/), membershipType: "standard" });
  });

  it("pages channel messages and serves replies", async () => {
    const { token, user, other } = await twoMembers();
    const path = await channelPath(token, await teamNamed(token, "Atlas Platform"));
    const first = await json<List<ChatMessage>>(token, `${path}/messages`);
    expect(first.value).toHaveLength(20);
    expect(first["@odata.nextLink"]).toBeDefined();
    const all = await allPages<ChatMessage>(token, `${path}/messages?$top=7`);
    expect(all.length).toBeGreaterThanOrEqual(20);
    expect(all.length).toBeLessThanOrEqual(40);
    const times = all.map((m) => Date.parse(m.createdDateTime));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const message = all[0];
    expect(message).toMatchObject({
      messageType: "message",
      replyToId: null,
      body: { contentType: "html", content: expect.stringMatching(/^<p>/) },
    });
    expect([user.oid, other.oid]).toContain(message?.from.user.id);
    expect(message?.webUrl).toContain("https://teams.microsoft.com/l/message/");
    const expanded = await allPages<ChatMessage>(token, `${path}/messages?$top=50&$expand=replies`);
    const withReplies = expanded.find((m) => (m.replies?.length ?? 0) > 0);
    expect(withReplies).toBeDefined();
    const replies = await json<List<ChatMessage>>(token, `${path}/messages/${withReplies?.id}/replies`);
    expect(replies.value.map((r) => r.id).sort()).toEqual((withReplies?.replies ?? []).map((r) => r.id).sort());
    for (const reply of replies.value) expect(reply.replyToId).toBe(withReplies?.id);
  });

  it("shows a member's post and reply to every other member", async () => {
    const { token, otherToken, user, other } = await twoMembers();
    const path = await channelPath(token, await teamNamed(token, "Design Studio"));
    const posted = await graph(token, `${path}/messages`, {
      json: {
        body: { contentType: "html", content: '<p>Review at 3? <at id="0">Sam</at></p>' },
        mentions: [{ id: 0, mentionText: "Sam", mentioned: { user: { id: other.oid } } }],
      },
    });
    expect(posted.status).toBe(201);
    const message = (await posted.json()) as ChatMessage;
    expect(message).toMatchObject({
      from: { user: { id: user.oid } },
      body: { contentType: "html" },
      mentions: [{ id: 0, mentioned: { user: { id: other.oid } } }],
    });
    const seen = await json<List<ChatMessage>>(otherToken, `${path}/messages?$top=1`);
    expect(seen.value[0]?.id).toBe(message.id);
    const reply = await graph(otherToken, `${path}/messages/${message.id}/replies`, { json: { body: { content: "Works for me" } } });
    expect(reply.status).toBe(201);
    expect(await reply.json()).toMatchObject({
      replyToId: message.id,
      from: { user: { id: other.oid } },
      body: { contentType: "text", content: "Works for me" },
    });
    const replies = await json<List<ChatMessage>>(token, `${path}/messages/${message.id}/replies`);
    expect(replies.value.map((r) => r.body.content)).toEqual(["Works for me"]);
    expect((await graph(token, `${path}/messages`, { json: { body: { content: "" } } })).status).toBe(400);
    expect((await graph(token, `${path}/messages`, { json: { text: "hello" } })).status).toBe(400);
  });

  it("refuses non-members (403) and other tenants and unknown ids (404)", async () => {
    const { token, otherToken } = await twoMembers();
    const field = await teamNamed(token, "Field Operations");
    const path = await channelPath(token, field);
    const denied = await graph(otherToken, `/teams/${field.id}/channels`);
    expect(denied.status).toBe(403);
    expect((await graph(otherToken, `${path}/messages`)).status).toBe(403);
    expect((await graph(otherToken, `${path}/messages`, { json: { body: { content: "let me in" } } })).status).toBe(403);
    const foreign = await signedInUser(ALL);
    for (const target of [`/teams/${field.id}`, `/teams/${field.id}/channels`, `${path}/messages`]) {
      const response = await graph(foreign.token, target);
      expect(response.status, target).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "NotFound" } });
    }
    expect((await graph(foreign.token, `${path}/messages`, { json: { body: { content: "hi" } } })).status).toBe(404);
    expect((await graph(token, `/teams/${crypto.randomUUID()}/channels`)).status).toBe(404);
    expect((await graph(token, `/teams/${field.id}/channels/${encodeURIComponent("19:nope@thread.tacv2")}/messages`)).status).toBe(404);
    expect((await graph(token, `/teams/..%2F..%2F${field.id}/channels`)).status).toBe(404);
    expect((await graph(token, `${path}/messages/123/replies`)).status).toBe(404);
  });

  it("enforces the Teams scopes", async () => {
    const { token } = await twoMembers(["Team.ReadBasic.All", "ChannelMessage.Read.All"]);
    const team = await teamNamed(token, "Atlas Platform");
    expect((await graph(token, `/teams/${team.id}/channels`)).status).toBe(403);
    const withChannels = await twoMembers(["Team.ReadBasic.All", "Channel.ReadBasic.All", "ChannelMessage.Read.All"]);
    const path = await channelPath(withChannels.token, await teamNamed(withChannels.token, "Atlas Platform"));
    const send = await graph(withChannels.token, `${path}/messages`, { json: { body: { content: "no" } } });
    expect(send.status).toBe(403);
    expect(await send.json()).toMatchObject({ error: { code: "ErrorAccessDenied" } });
    const none = await signedInUser(["Chat.Read"]);
    expect((await graph(none.token, "/me/joinedTeams")).status).toBe(403);
  });
});

describe("emulated Graph Teams: chats and meetings", () => {
  it("lists the user's chats with members and shares messages between members", async () => {
    const { token, tenantId, user, other } = await twoMembers();
    const readerToken = await graphToken(tenantId, other.oid, ["Chat.Read"]);
    const chats = await json<List<Chat>>(token, "/me/chats?$expand=members");
    const oneOnOne = chats.value.find((c) => c.chatType === "oneOnOne");
    expect(oneOnOne).toMatchObject({ topic: null, webUrl: expect.stringContaining("https://teams.microsoft.com/l/chat/") });
    expect(oneOnOne?.members?.map((m) => m.userId).sort()).toEqual([user.oid, other.oid].sort());
    expect(chats.value.map((c) => c.chatType)).toEqual(expect.arrayContaining(["oneOnOne", "group", "meeting"]));
    const chatPath = `/chats/${encodeURIComponent(oneOnOne?.id ?? "")}`;
    const seeded = await json<List<ChatMessage>>(readerToken, `${chatPath}/messages?$top=50`);
    expect(seeded.value.length).toBeGreaterThanOrEqual(8);
    const paged = await json<List<ChatMessage>>(readerToken, `${chatPath}/messages?$top=3`);
    expect(paged.value).toHaveLength(3);
    expect(paged["@odata.nextLink"]).toMatch(/%24skiptoken=[\w-]+/);
    const sent = await graph(token, `${chatPath}/messages`, { json: { body: { contentType: "text", content: "Lunch at 12:30?" } } });
    expect(sent.status).toBe(201);
    const message = (await sent.json()) as ChatMessage;
    const latest = await json<List<ChatMessage>>(readerToken, `${chatPath}/messages?$top=1`);
    expect(latest.value[0]).toMatchObject({
      id: message.id,
      body: { contentType: "text", content: "Lunch at 12:30?" },
      from: expect.objectContaining({ user: expect.objectContaining({ id: user.oid }) }),
    });
    const refreshed = await json<Chat>(readerToken, chatPath);
    expect(refreshed.lastUpdatedDateTime).toBe(message.createdDateTime);
    expect((await graph(readerToken, `${chatPath}/messages`, { json: { body: { content: "read-only" } } })).status).toBe(403);
  });

  it("refuses a chat to non-members (403) and other tenants (404)", async () => {
    const { token, tenantId, otherToken } = await twoMembers();
    const third = { oid: TEST_OIDS.kai, userPrincipalName: `kai@${tenantId.slice(0, 8)}.example`, displayName: "Kai Moreau" };
    await emulator.addUser(tenantId, third);
    const chats = await json<List<Chat>>(token, "/me/chats?$expand=members&$top=50");
    const withThird = chats.value.find((c) => c.chatType === "oneOnOne" && c.members?.some((m) => m.userId === third.oid));
    expect(withThird).toBeDefined();
    const chatPath = `/chats/${encodeURIComponent(withThird?.id ?? "")}`;
    const thirdToken = await graphToken(tenantId, third.oid, ["Chat.Read"]);
    expect((await graph(thirdToken, `${chatPath}/messages`)).status).toBe(200);
    const denied = await graph(otherToken, `${chatPath}/messages`);
    expect(denied.status).toBe(403);
    expect((await graph(otherToken, `${chatPath}/messages`, { json: { body: { content: "hi" } } })).status).toBe(403);
    const otherChats = await json<List<Chat>>(otherToken, "/me/chats?$top=50");
    expect(otherChats.value.some((c) => c.id === withThird?.id)).toBe(false);
    const foreign = await signedInUser(ALL);
    expect((await graph(foreign.token, `${chatPath}/messages`)).status).toBe(404);
    expect((await graph(foreign.token, chatPath)).status).toBe(404);
    expect((await graph(token, "/chats/19%3Anope%40thread.v2/messages")).status).toBe(404);
  });

  it("creates an online meeting whose chat the attendees share", async () => {
    const { token, otherToken, other, user } = await twoMembers();
    const outsider = await newEntraTenant();
    const created = await graph(token, "/me/onlineMeetings", {
      json: {
        subject: "Vendor review",
        startDateTime: `${writeDay(3)}T14:00:00Z`,
        endDateTime: `${writeDay(3)}T15:00:00Z`,
        participants: { attendees: [{ identity: { user: { id: other.oid } } }, { upn: outsider.users[0].userPrincipalName }] },
      },
    });
    expect(created.status).toBe(201);
    const meeting = (await created.json()) as {
      id: string;
      subject: string;
      joinWebUrl: string;
      joinMeetingIdSettings: { joinMeetingId: string; passcode: string };
      chatInfo: { threadId: string };
      participants: { organizer: { identity: { user: { id: string } } }; attendees: unknown[] };
    };
    expect(meeting).toMatchObject({
      subject: "Vendor review",
      startDateTime: `${writeDay(3)}T14:00:00.000Z`,
      participants: { organizer: { identity: { user: { id: user.oid } } } },
    });
    expect(meeting.joinWebUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    expect(meeting.joinMeetingIdSettings.joinMeetingId).toMatch(/^\d{12}$/);
    expect(meeting.participants.attendees).toHaveLength(2);
    const theirChats = await json<List<Chat>>(otherToken, "/me/chats?$top=50");
    expect(theirChats.value.find((c) => c.id === meeting.chatInfo.threadId)).toMatchObject({ chatType: "meeting", topic: "Vendor review" });
    expect((await json<{ id: string }>(token, `/me/onlineMeetings/${meeting.id}`)).id).toBe(meeting.id);
    expect((await graph(otherToken, `/me/onlineMeetings/${meeting.id}`)).status).toBe(404);
    const backwards = await graph(token, "/me/onlineMeetings", {
      json: { startDateTime: `${writeDay(3)}T15:00:00Z`, endDateTime: `${writeDay(3)}T14:00:00Z` },
    });
    expect(backwards.status).toBe(400);
    const noScope = await graphToken(outsider.tenantId, outsider.users[0].oid, ["Chat.Read"]);
    expect((await graph(noScope, "/me/onlineMeetings", { json: { subject: "x" } })).status).toBe(403);
  });
});
