import { describe, expect, it } from "vitest";
import { graph, graphToken, signedInUser } from "../helpers/emulator";

/** The emulator's OneNote, Planner, transcript and presence endpoints: permissions, isolation, paging and refusals. */
type List<T> = { value: T[]; "@odata.nextLink"?: string };

async function list<T>(token: string, path: string): Promise<List<T>> {
  const response = await graph(token, path);
  expect(response.status).toBe(200);
  return (await response.json()) as List<T>;
}

const NOTES = ["Notes.ReadWrite"];
const PLANNER = ["Tasks.ReadWrite"];

describe("emulated OneNote, Planner, transcripts and presence", () => {
  it("answers 403 without the permission each endpoint documents", async () => {
    const { token } = await signedInUser(["User.Read", "Tasks.Read"]);
    expect((await graph(token, "/me/onenote/notebooks")).status).toBe(403);
    expect((await graph(token, "/me/onlineMeetings?$filter=JoinWebUrl eq 'https://x'")).status).toBe(403);
    expect((await graph(token, "/communications/getPresencesByUserId", { json: { ids: ["a"] } })).status).toBe(403);
    const notesOnly = await signedInUser(["Notes.Read"]);
    expect((await graph(notesOnly.token, "/me/planner/tasks")).status).toBe(403);
    // Notes.Read reads pages but cannot create them.
    const sections = await list<{ id: string }>(notesOnly.token, "/me/onenote/sections");
    const created = await graph(notesOnly.token, `/me/onenote/sections/${sections.value[0]?.id}/pages`, {
      method: "POST",
      headers: { "content-type": "text/html" },
    });
    expect(created.status).toBe(403);
  });

  it("never shows one tenant's pages, plans or tasks to another tenant's user (404)", async () => {
    const a = await signedInUser([...NOTES, ...PLANNER]);
    const b = await signedInUser([...NOTES, ...PLANNER]);
    const page = (await list<{ id: string }>(a.token, "/me/onenote/pages")).value[0]?.id ?? "";
    const plan = (await list<{ id: string }>(a.token, "/me/planner/plans")).value[0]?.id ?? "";
    const task = (await list<{ id: string }>(a.token, `/planner/plans/${plan}/tasks`)).value[0]?.id ?? "";
    expect((await graph(a.token, `/me/onenote/pages/${encodeURIComponent(page)}/content`)).status).toBe(200);
    expect((await graph(b.token, `/me/onenote/pages/${encodeURIComponent(page)}/content`)).status).toBe(404);
    expect((await graph(b.token, `/planner/plans/${plan}/buckets`)).status).toBe(404);
    expect((await graph(b.token, `/planner/tasks/${task}`)).status).toBe(404);
    const patch = await graph(b.token, `/planner/tasks/${task}`, {
      method: "PATCH",
      json: { title: "x" },
      headers: { "If-Match": 'W/"x"' },
    });
    expect(patch.status).toBe(404);
  });

  it("pages Planner lists with an opaque skip token bound to the caller, and refuses query options", async () => {
    const { token, tenantId, other } = await signedInUser(PLANNER);
    const plan = (await list<{ id: string }>(token, "/me/planner/plans")).value[0]?.id ?? "";
    const first = await list<{ id: string }>(token, `/planner/plans/${plan}/tasks`);
    const next = first["@odata.nextLink"] ?? "";
    expect(decodeURIComponent(next)).toMatch(/\$skiptoken=/);
    const second = await list<{ id: string }>(token, next.slice(next.indexOf("/v1.0") + 5));
    expect(second.value.some((task) => first.value.some((seen) => seen.id === task.id))).toBe(false);
    const otherToken = await graphToken(tenantId, other.oid, PLANNER);
    expect((await graph(otherToken, next.slice(next.indexOf("/v1.0") + 5))).status).toBe(400);
    expect((await graph(token, `/planner/plans/${plan}/tasks?$top=2`)).status).toBe(400);
  });

  it("takes a OneNote page only as HTML", async () => {
    const { token } = await signedInUser(NOTES);
    const section = (await list<{ id: string }>(token, "/me/onenote/sections")).value[0]?.id ?? "";
    const json = await graph(token, `/me/onenote/sections/${encodeURIComponent(section)}/pages`, { json: { title: "x" } });
    expect(json.status).toBe(415);
    const notHtml = await fetch(
      new Request(json.url, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "text/html" },
        body: "just text",
      }),
    );
    expect(notHtml.status).toBe(400);
  });

  it("requires the JoinWebUrl filter to find a meeting, and refuses more than 650 presence ids", async () => {
    const { token } = await signedInUser(["OnlineMeetings.Read", "Presence.Read.All"]);
    expect((await graph(token, "/me/onlineMeetings")).status).toBe(400);
    expect(
      await (await graph(token, "/me/onlineMeetings?$filter=JoinWebUrl eq 'https://teams.microsoft.com/l/none'")).json(),
    ).toMatchObject({ value: [] });
    const ids = Array.from({ length: 651 }, (_, index) => `id-${index}`);
    expect((await graph(token, "/communications/getPresencesByUserId", { json: { ids } })).status).toBe(400);
  });
});
