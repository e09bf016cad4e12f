import { describe, expect, it } from "vitest";
import { graph, graphToken } from "./helpers/emulator";
import { connectedUser, injectGraphFault } from "./helpers/mcp";
import { writeDay } from "./helpers/seed-date";

/** Planner tools through /mcp against the emulator's seeded plans, and the emulator's If-Match rule. */
type User = Awaited<ReturnType<typeof connectedUser>>;

const PLANNER_TOOLS = ["list_planner_tasks", "list_plans", "list_buckets", "create_planner_task", "update_planner_task"];

const plannerUser = () => connectedUser({ policy: { enabledGroups: ["tasks", "planner"] } });

function idOf(text: string, start: string): string {
  const line = text.split("\n").find((candidate) => candidate.startsWith(start));
  const match = /id: (\S+)$/.exec(line ?? "");
  if (!match?.[1]) throw new Error(`no id for ${start} in:\n${text}`);
  return match[1];
}

const taskLines = (text: string) => text.split("\n").filter((line) => / · id: \S+$/.test(line));

async function roadmap(user: User) {
  const planId = idOf((await user.callTool("list_plans")).text, "Atlas Platform roadmap · ");
  const buckets = (await user.callTool("list_buckets", { planId })).text;
  return { planId, todo: idOf(buckets, "To do · "), done: idOf(buckets, "Done · ") };
}

/** Every page of a listing, following the cursor. */
async function allPages(user: User, tool: string, args: Record<string, unknown>): Promise<string[]> {
  const lines: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10; page += 1) {
    const result = await user.callTool(tool, cursor ? { ...args, cursor } : args);
    expect(result.isError).toBe(false);
    lines.push(...taskLines(result.text));
    cursor = /cursor "([^"]+)"/.exec(result.text)?.[1];
    if (!cursor) return lines;
  }
  throw new Error("too many pages");
}

describe("planner tools", () => {
  it("lists the plans the user's groups hold, never another group's, and their buckets", async () => {
    const user = await plannerUser();
    const plans = await user.callTool("list_plans");
    expect(plans.text.split("\n").map((line) => line.replace(/ · id: \S+$/, ""))).toEqual(["Atlas Platform roadmap", "Office move"]);
    const { planId } = await roadmap(user);
    const buckets = await user.callTool("list_buckets", { planId });
    expect(buckets.text.split("\n").map((line) => line.replace(/ · id: \S+$/, ""))).toEqual(["To do", "In progress", "Done"]);
  });

  it("pages a plan's tasks with the cursor, and lists the tasks assigned to the user", async () => {
    const user = await plannerUser();
    const { planId } = await roadmap(user);
    const first = await user.callTool("list_planner_tasks", { planId });
    expect(first.text).toMatch(/More results: call list_planner_tasks with the same arguments and cursor "/);
    const all = await allPages(user, "list_planner_tasks", { planId });
    expect(all).toHaveLength(6);
    expect(new Set(all).size).toBe(6);
    expect(all.find((line) => line.startsWith("Rotate the signing keys · "))).toMatch(/ · done · /);
    expect(all.every((line) => line.includes(`plan: ${planId}`))).toBe(true);
    const mine = await allPages(user, "list_planner_tasks", {});
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((line) => / · 1 assigned · /.test(line))).toBe(true);
  });

  it("creates a task in a bucket with a due date and the user assigned, then moves and completes it", async () => {
    const user = await plannerUser();
    const { planId, todo, done } = await roadmap(user);
    const created = await user.callTool("create_planner_task", {
      planId,
      bucketId: todo,
      title: "Write the incident review",
      dueDate: writeDay(5),
      assigneeIds: [user.user.oid],
    });
    expect(created.isError).toBe(false);
    expect(created.text).toMatch(
      new RegExp(`^Created: Write the incident review · due ${writeDay(5)} · 1 assigned · plan: ${planId} · bucket: ${todo} · id: \\S+$`),
    );
    const taskId = /id: (\S+)$/.exec(created.text)?.[1] ?? "";
    const updated = await user.callTool("update_planner_task", { taskId, percentComplete: 100, bucketId: done, assigneeIds: [] });
    expect(updated).toEqual({
      isError: false,
      text: `Updated: Write the incident review · due ${writeDay(5)} · done · plan: ${planId} · bucket: ${done} · id: ${taskId}`,
    });
    // A second update reads the etag the first one left, so it goes through too.
    const renamed = await user.callTool("update_planner_task", { taskId, title: "Publish the incident review" });
    expect(renamed.text).toMatch(/^Updated: Publish the incident review · /);
  });

  it("refuses an update without If-Match or with a stale etag (412), as Planner does", async () => {
    const user = await plannerUser();
    const { planId } = await roadmap(user);
    const taskId = /id: (\S+)$/.exec((await user.callTool("create_planner_task", { planId, title: "Etag check" })).text)?.[1] ?? "";
    const token = await graphToken(user.entra.tenantId, user.entra.oid, ["Tasks.ReadWrite"]);
    const path = `/planner/tasks/${taskId}`;
    const read = async () => ((await (await graph(token, path)).json()) as { "@odata.etag": string })["@odata.etag"];
    const stale = await read();
    const missing = await graph(token, path, { method: "PATCH", json: { title: "No etag" } });
    expect(missing.status).toBe(412);
    expect(await missing.json()).toMatchObject({ error: { code: "PreconditionFailed" } });
    const first = await graph(token, path, { method: "PATCH", json: { title: "First" }, headers: { "If-Match": stale } });
    expect(first.status).toBe(204);
    const second = await graph(token, path, { method: "PATCH", json: { title: "Second" }, headers: { "If-Match": stale } });
    expect(second.status).toBe(412);
    const current = await read();
    expect(current).not.toBe(stale);
    const deleteStale = await graph(token, path, { method: "DELETE", headers: { "If-Match": stale } });
    expect(deleteStale.status).toBe(412);
    // The tool reads the current etag itself, so the user's update is applied on top of the change made meanwhile.
    const viaTool = await user.callTool("update_planner_task", { taskId, percentComplete: 50 });
    expect(viaTool.text).toMatch(/^Updated: First · 50% · /);
  });

  it("answers a change made between its read and its write (412) clearly, overwriting nothing", async () => {
    const user = await plannerUser();
    const { planId } = await roadmap(user);
    const taskId = /id: (\S+)$/.exec((await user.callTool("create_planner_task", { planId, title: "Race check" })).text)?.[1] ?? "";
    // Planner's answer when the task changed after the tool read its etag.
    await injectGraphFault(user, { status: 412, count: 1, method: "PATCH", pathContains: "/planner/tasks/" });
    const raced = await user.callTool("update_planner_task", { taskId, title: "Lost update" });
    expect(raced).toEqual({
      isError: true,
      text: expect.stringMatching(
        /^Could not update the task: it was changed by someone else while this update was made \(Planner answered 412 Precondition Failed\)\.\nHint: Nothing was overwritten; call update_planner_task again/,
      ),
    });
    const listed = await user.callTool("list_planner_tasks", { planId });
    expect(listed.text).not.toContain("Lost update");
    expect((await user.callTool("update_planner_task", { taskId, title: "Applied" })).text).toMatch(/^Updated: Applied · /);
  });

  it("names the field when the arguments are wrong, and refuses an empty update", async () => {
    const user = await plannerUser();
    const badDate = await user.callTool("create_planner_task", { planId: "p", title: "x", dueDate: "2026-02-30" });
    expect(badDate.text).toMatch(/Invalid arguments.*dueDate: expected a date as YYYY-MM-DD/);
    const badPercent = await user.callTool("update_planner_task", { taskId: "t", percentComplete: 101 });
    expect(badPercent.text).toMatch(/Invalid arguments.*percentComplete: expected a whole number from 0 to 100/);
    const nothing = await user.callTool("update_planner_task", { taskId: "t" });
    expect(nothing).toEqual({ isError: true, text: expect.stringMatching(/^Nothing to update/) });
  });

  it("never lists a plan of a group the user is not in, and answers 404 for an unknown task or plan", async () => {
    const user = await plannerUser();
    const token = await graphToken(user.entra.tenantId, user.entra.oid, ["Tasks.Read"]);
    const plans = (await (await graph(token, "/me/planner/plans")).json()) as { value: { id: string; title: string }[] };
    expect(plans.value.map((plan) => plan.title)).not.toContain("Board planning");
    const unknown = await user.callTool("update_planner_task", { taskId: "AAAAAAAAAAAAAAAAAAAAAAAAAAAA", title: "x" });
    expect(unknown.text).toMatch(/Microsoft Graph answered 404/);
    const refused = await user.callTool("list_buckets", { planId: "AAAAAAAAAAAAAAAAAAAAAAAAAAAA" });
    expect(refused.text).toMatch(/answered 404/);
  });

  it("is hidden when the organization's policy leaves the planner group off", async () => {
    const user = await connectedUser();
    const names = (await user.listTools()).map((tool) => tool.name);
    for (const name of PLANNER_TOOLS) expect(names).not.toContain(name);
    const enabled = (await (await plannerUser()).listTools()).map((tool) => tool.name);
    expect(enabled).toEqual(expect.arrayContaining(PLANNER_TOOLS));
  });
});
