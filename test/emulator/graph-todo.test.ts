import { describe, expect, it } from "vitest";
import { seedTodo } from "../../emulator/graph/todo/seed";
import { graph, graphToken, signedInUser } from "../helpers/emulator";
import { SEED_DAY_MS, writeDay } from "../helpers/seed-date";

interface TaskList {
  id: string;
  displayName: string;
  isOwner: boolean;
  isShared: boolean;
  wellknownListName: string;
}
interface Task {
  id: string;
  title: string;
  status: string;
  importance: string;
  isReminderOn: boolean;
  createdDateTime: string;
  lastModifiedDateTime: string;
  dueDateTime?: { dateTime: string; timeZone: string };
  completedDateTime?: { dateTime: string; timeZone: string };
  body: { content: string; contentType: string };
  categories: string[];
}
type List<T> = { value: T[]; "@odata.nextLink"?: string };

async function list<T>(token: string, path: string): Promise<List<T>> {
  const response = await graph(token, path);
  expect(response.status).toBe(200);
  return (await response.json()) as List<T>;
}

async function defaultList(token: string): Promise<TaskList> {
  const lists = await list<TaskList>(token, "/me/todo/lists");
  const found = lists.value.find((l) => l.wellknownListName === "defaultList");
  if (!found) throw new Error("no default list");
  return found;
}

describe("emulated Graph To Do", () => {
  it("lists the seeded task lists with their well-known names", async () => {
    const { token } = await signedInUser(["Tasks.Read"]);
    const lists = await list<TaskList>(token, "/me/todo/lists");
    expect(lists.value.map((l) => l.wellknownListName).sort()).toEqual(["defaultList", "flaggedEmails", "none", "none", "none"]);
    expect(lists.value.some((l) => l.isShared)).toBe(true);
    for (const l of lists.value)
      expect(l).toMatchObject({ id: expect.any(String), displayName: expect.any(String), isOwner: expect.any(Boolean) });
    const one = await graph(token, `/me/todo/lists/${lists.value[0]?.id}?$select=displayName`);
    expect(await one.json()).toEqual({ id: lists.value[0]?.id, displayName: lists.value[0]?.displayName });
  });

  it("lists tasks in Graph's shape with paging, $select and $filter", async () => {
    const { token } = await signedInUser(["Tasks.Read"]);
    const { id } = await defaultList(token);
    const firstPage = await list<Task>(token, `/me/todo/lists/${id}/tasks?$top=3`);
    expect(firstPage.value).toHaveLength(3);
    const link = firstPage["@odata.nextLink"] ?? "";
    expect(link).toContain("%24skip=3");
    const secondPage = await list<Task>(token, link.slice(link.indexOf("/v1.0") + 5));
    expect(secondPage.value).toHaveLength(3);
    expect(secondPage.value.map((t) => t.id)).not.toContain(firstPage.value[0]?.id);
    const task = firstPage.value[0];
    expect(task).toMatchObject({
      title: expect.any(String),
      importance: expect.stringMatching(/^(low|normal|high)$/),
      body: { contentType: "text" },
    });
    expect(["notStarted", "inProgress", "completed", "waitingOnOthers", "deferred"]).toContain(task?.status);
    const selected = await list<Record<string, unknown>>(token, `/me/todo/lists/${id}/tasks?$select=title,status`);
    for (const item of selected.value) expect(Object.keys(item).sort()).toEqual(["id", "status", "title"]);
    const open = await list<Task>(token, `/me/todo/lists/${id}/tasks?$filter=status ne 'completed'&$top=50`);
    for (const item of open.value) {
      expect(item.status).not.toBe("completed");
      expect(item.completedDateTime).toBeUndefined();
    }
  });

  it("creates a task, completes it (setting completedDateTime), reopens and deletes it", async () => {
    const { token } = await signedInUser(["Tasks.ReadWrite"]);
    const { id: listId } = await defaultList(token);
    const created = await graph(token, `/me/todo/lists/${listId}/tasks`, {
      json: {
        title: "Send the venue deposit",
        importance: "high",
        dueDateTime: { dateTime: `${writeDay(4)}T17:00:00`, timeZone: "UTC" },
        body: { content: "Ask for the invoice", contentType: "text" },
        categories: ["Blue category"],
      },
    });
    expect(created.status).toBe(201);
    const task = (await created.json()) as Task;
    expect(task).toMatchObject({
      title: "Send the venue deposit",
      status: "notStarted",
      importance: "high",
      dueDateTime: { dateTime: `${writeDay(4)}T17:00:00.0000000`, timeZone: "UTC" },
      categories: ["Blue category"],
    });
    expect(task.completedDateTime).toBeUndefined();
    const done = await graph(token, `/me/todo/lists/${listId}/tasks/${task.id}`, { method: "PATCH", json: { status: "completed" } });
    expect(done.status).toBe(200);
    const completed = (await done.json()) as Task;
    expect(completed.status).toBe("completed");
    expect(completed.completedDateTime?.timeZone).toBe("UTC");
    expect(Math.abs(Date.parse(`${completed.completedDateTime?.dateTime.slice(0, 19)}Z`) - Date.now())).toBeLessThan(60_000);
    const fetched = (await (await graph(token, `/me/todo/lists/${listId}/tasks/${task.id}`)).json()) as Task;
    expect(fetched.status).toBe("completed");
    const reopened = (await (
      await graph(token, `/me/todo/lists/${listId}/tasks/${task.id}`, {
        method: "PATCH",
        json: { status: "inProgress", dueDateTime: null },
      })
    ).json()) as Task;
    expect(reopened.status).toBe("inProgress");
    expect(reopened.completedDateTime).toBeUndefined();
    expect(reopened.dueDateTime).toBeUndefined();
    expect((await graph(token, `/me/todo/lists/${listId}/tasks/${task.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await graph(token, `/me/todo/lists/${listId}/tasks/${task.id}`)).status).toBe(404);
  });

  it("rejects invalid task bodies with Graph's 400 shape", async () => {
    const { token } = await signedInUser(["Tasks.ReadWrite"]);
    const { id: listId } = await defaultList(token);
    for (const json of [
      {},
      { title: "x", status: "finished" },
      { title: "x", dueDateTime: { dateTime: "soon", timeZone: "UTC" } },
      { title: "x", colour: "red" },
    ]) {
      const response = await graph(token, `/me/todo/lists/${listId}/tasks`, { json });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "BadRequest", message: expect.any(String) } });
    }
  });

  it("requires Tasks.Read to read and Tasks.ReadWrite to write", async () => {
    const { token, tenantId, user } = await signedInUser(["Tasks.Read"]);
    const { id: listId } = await defaultList(token);
    const write = await graph(token, `/me/todo/lists/${listId}/tasks`, { json: { title: "Not allowed" } });
    expect(write.status).toBe(403);
    expect(await write.json()).toMatchObject({ error: { code: "ErrorAccessDenied" } });
    const none = await graphToken(tenantId, user.oid, ["Contacts.Read"]);
    expect((await graph(none, "/me/todo/lists")).status).toBe(403);
  });

  it("answers 404 for unknown, other users' and other tenants' list and task ids", async () => {
    const { token, tenantId, other } = await signedInUser(["Tasks.ReadWrite"]);
    const { id: listId } = await defaultList(token);
    const taskId = (await list<Task>(token, `/me/todo/lists/${listId}/tasks?$top=1`)).value[0]?.id ?? "";
    const missing = await graph(token, "/me/todo/lists/AAMkdoesnotexist=/tasks");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "ErrorItemNotFound" } });
    const colleague = await graphToken(tenantId, other.oid, ["Tasks.ReadWrite"]);
    expect((await graph(colleague, `/me/todo/lists/${listId}/tasks`)).status).toBe(404);
    expect(
      (await graph(colleague, `/me/todo/lists/${listId}/tasks/${taskId}`, { method: "PATCH", json: { title: "hijack" } })).status,
    ).toBe(404);
    const foreign = await signedInUser(["Tasks.ReadWrite"]);
    expect((await graph(foreign.token, `/me/todo/lists/${listId}/tasks/${taskId}`)).status).toBe(404);
    expect((await graph(foreign.token, `/me/todo/lists/${listId}/tasks/${taskId}`, { method: "DELETE" })).status).toBe(404);
    expect((await graph(token, `/me/todo/lists/${encodeURIComponent(`../${listId}`)}/tasks`)).status).toBe(404);
    expect((await graph(token, `/me/todo/lists/${listId}/tasks/${taskId}`)).status).toBe(200);
  });
});

describe("seeded To Do lists", () => {
  it("always have done and open tasks in a list of several, whatever the seed", () => {
    for (let i = 0; i < 300; i++) {
      const oid = crypto.randomUUID();
      const store = seedTodo(
        crypto.randomUUID(),
        { oid, userPrincipalName: `u${i}@example.com`, displayName: `User ${i}`, mail: `u${i}@example.com` },
        SEED_DAY_MS,
      );
      for (const taskList of store.lists.values()) {
        const tasks = [...taskList.tasks.values()];
        if (tasks.length < 2) continue;
        const done = tasks.filter((task) => task.status === "completed");
        expect(done.length, taskList.displayName).toBeGreaterThan(0);
        expect(done.length, taskList.displayName).toBeLessThan(tasks.length);
        for (const task of tasks) expect(task.completedDateTime !== undefined).toBe(task.status === "completed");
      }
    }
  });
});
