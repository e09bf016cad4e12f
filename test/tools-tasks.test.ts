import { describe, expect, it } from "vitest";
import { connectedUser, injectGraphFault } from "./helpers/mcp";
import { pattern, writeDay } from "./helpers/seed-date";

/** Microsoft To Do tools through /mcp against the emulator's seeded lists. */
type User = Awaited<ReturnType<typeof connectedUser>>;

function idOf(text: string, title: string): string {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${title} · `));
  const match = /id: (\S+)$/.exec(line ?? "");
  if (!match?.[1]) throw new Error(`no id for ${title} in:\n${text}`);
  return match[1];
}

async function listIdOf(user: User, name: string): Promise<string> {
  return idOf((await user.callTool("list_task_lists")).text, name);
}

const taskLines = (text: string) => text.split("\n").filter((line) => line.includes(" · id: "));

describe("tasks tools", () => {
  it("lists task lists with their kind and ids", async () => {
    const user = await connectedUser();
    const lists = await user.callTool("list_task_lists");
    expect(lists.isError).toBe(false);
    expect(lists.text.split("\n").map((line) => line.replace(/ · id: \S+$/, ""))).toEqual([
      "Tasks · default list",
      "Flagged email · flagged email",
      "Q3 launch prep · shared",
      "Home renovation",
      "Reading list · shared",
    ]);
  });

  it("lists open tasks by default and completed ones on request", async () => {
    const user = await connectedUser();
    const listId = await listIdOf(user, "Q3 launch prep");
    const open = await user.callTool("list_tasks", { listId, limit: 50 });
    const all = await user.callTool("list_tasks", { listId, includeCompleted: true, limit: 50 });
    expect(taskLines(all.text)).toHaveLength(9);
    expect(taskLines(open.text).length).toBeLessThan(9);
    expect(open.text).not.toContain(" · done · ");
    expect(taskLines(all.text).filter((line) => line.includes(" · done")).length).toBe(9 - taskLines(open.text).length);
  });

  it("says how many completed tasks the open list left out", async () => {
    const user = await connectedUser();
    const listId = await listIdOf(user, "Q3 launch prep");
    const open = await user.callTool("list_tasks", { listId, limit: 50 });
    const done = taskLines((await user.callTool("list_tasks", { listId, includeCompleted: true, limit: 50 })).text).filter((line) =>
      line.includes(" · done"),
    ).length;
    expect(done).toBeGreaterThan(0);
    const note = `${done === 1 ? "1 completed task" : `${done} completed tasks`} not shown: pass includeCompleted.`;
    expect(open.text.split("\n").at(-1)).toBe(note);
    const all = await user.callTool("list_tasks", { listId, includeCompleted: true, limit: 50 });
    expect(all.text).not.toContain("not shown");
  });

  it("pages with the returned cursor, keeping the filter", async () => {
    const user = await connectedUser();
    const listId = await listIdOf(user, "Q3 launch prep");
    const first = await user.callTool("list_tasks", { listId, includeCompleted: true, limit: 4 });
    const cursor = /cursor "([^"]+)"/.exec(first.text)?.[1];
    expect(cursor).toBeTruthy();
    const second = await user.callTool("list_tasks", { listId, includeCompleted: true, limit: 4, cursor });
    expect(taskLines(first.text)).toHaveLength(4);
    expect(taskLines(second.text)).toHaveLength(4);
    expect(taskLines(second.text).some((line) => taskLines(first.text).includes(line))).toBe(false);
  });

  it("creates a task that then appears with its due date, importance and note", async () => {
    const user = await connectedUser();
    const listId = await listIdOf(user, "Home renovation");
    const created = await user.callTool("create_task", {
      listId,
      title: "Order skip hire",
      dueDate: writeDay(4),
      importance: "high",
      note: "Ask for the 6-yard size",
    });
    expect(created.text).toMatch(
      pattern`^Created task: Order skip hire · due ${writeDay(4)} · high importance · note: Ask for the 6-yard size · id: \S+$`,
    );
    const listed = await user.callTool("list_tasks", { listId });
    expect(listed.text).toContain(created.text.replace("Created task: ", ""));
  });

  it("completes a task idempotently, moving it out of the open list", async () => {
    const user = await connectedUser();
    const listId = await listIdOf(user, "Home renovation");
    const created = await user.callTool("create_task", { listId, title: "Measure the garage" });
    const taskId = /id: (\S+)$/.exec(created.text)?.[1] ?? "";
    const done = await user.callTool("complete_task", { listId, taskId });
    expect(done).toEqual({ isError: false, text: `Completed: Measure the garage · done · id: ${taskId}` });
    expect(await user.callTool("complete_task", { listId, taskId })).toEqual(done);
    expect((await user.callTool("list_tasks", { listId, limit: 50 })).text).not.toContain("Measure the garage");
    expect((await user.callTool("list_tasks", { listId, includeCompleted: true, limit: 50 })).text).toContain(
      `Measure the garage · done · id: ${taskId}`,
    );
  });

  it("names the offending field when arguments are invalid", async () => {
    const user = await connectedUser();
    const listId = await listIdOf(user, "Tasks");
    expect((await user.callTool("create_task", { listId, title: "x", dueDate: "2030-02-30" })).text).toMatch(
      /Invalid arguments.*: dueDate: expected a date as YYYY-MM-DD/,
    );
    expect((await user.callTool("create_task", { listId, title: "x", dueDate: "tomorrow" })).text).toMatch(/Invalid arguments.*: dueDate:/);
    expect((await user.callTool("create_task", { listId, title: "  " })).text).toMatch(/Invalid arguments.*: title: expected a title/);
    expect((await user.callTool("create_task", { listId, title: "x", importance: "urgent" })).text).toMatch(
      /Invalid arguments.*: importance:/,
    );
    expect((await user.callTool("complete_task", { listId })).text).toMatch(/Invalid arguments.*: taskId:/);
  });

  it("answers unknown ids with Graph's 404 and keeps path tricks inside their segment", async () => {
    const user = await connectedUser();
    const listId = await listIdOf(user, "Tasks");
    for (const bad of ["AAMk-unknown", "../../../me/contacts", "..%2F..%2Fcontacts"]) {
      const result = await user.callTool("list_tasks", { listId: bad });
      expect(result.isError).toBe(true);
      expect(result.text).toContain("Microsoft Graph answered 404");
    }
    expect((await user.callTool("complete_task", { listId, taskId: "../../lists" })).text).toContain("answered 404");
    expect((await user.callTool("create_task", { listId: "../x", title: "t" })).text).toContain("answered 404");
    const dots = await user.callTool("list_tasks", { listId: ".." });
    expect(dots.isError).toBe(true);
    expect(dots.text).toMatch(/Invalid arguments.*: listId: expected the task list id from a previous call/);
  });

  it("hides writes under a read-only policy, and every tasks tool when the group is off", async () => {
    const readOnly = await connectedUser({ policy: { readOnly: true } });
    const names = (await readOnly.listTools()).map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(["list_task_lists", "list_tasks"]));
    expect(names).not.toContain("create_task");
    expect(names).not.toContain("complete_task");
    expect((await readOnly.callTool("complete_task", { listId: "a", taskId: "b" })).isError).toBe(true);
    const off = await connectedUser({ policy: { enabledGroups: ["mail"] } });
    const offNames = (await off.listTools()).map((tool) => tool.name);
    for (const name of ["list_task_lists", "list_tasks", "create_task", "complete_task"]) expect(offNames).not.toContain(name);
    const tools = new Map((await (await connectedUser()).listTools()).map((tool) => [tool.name, tool.annotations]));
    expect(tools.get("complete_task")).toMatchObject({ readOnlyHint: false, idempotentHint: true });
    expect(tools.get("create_task")).toMatchObject({ readOnlyHint: false, idempotentHint: false });
  });

  it("recovers from Graph throttling", async () => {
    const user = await connectedUser();
    await injectGraphFault(user, { status: 429, count: 2, retryAfterSeconds: 0, pathContains: "/me/todo" });
    const result = await user.callTool("list_task_lists");
    expect(result.isError).toBe(false);
    expect(result.text).toContain("Tasks · default list");
  });
});
