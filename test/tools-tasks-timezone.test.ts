import { describe, expect, it } from "vitest";
import { emulator, graph, graphToken } from "./helpers/emulator";
import { connectedUser } from "./helpers/mcp";

/**
 * A tenant that enables only the tasks group still knows each user's mailbox
 * time zone: a due date is midnight in the user's zone, not UTC's (which To
 * Do shows a day early west of Greenwich).
 */
describe("tasks in the user's time zone", () => {
  it("sets a due date at midnight in the mailbox zone for a tasks-only tenant", async () => {
    const user = await connectedUser({ policy: { enabledGroups: ["tasks"] } });
    const zone = "Pacific Standard Time";
    await emulator.addUser(user.entra.tenantId, { ...user.user, timeZone: zone });

    expect((await user.callTool("whoami")).text).toContain(`Time zone: ${zone}`);
    const lists = (await user.callTool("list_task_lists")).text;
    const listId = /^Tasks · default list · id: (\S+)$/m.exec(lists)?.[1] ?? "";
    const created = await user.callTool("create_task", { listId, title: "Renew parking permit", dueDate: "2030-06-15" });
    expect(created.text).toMatch(/^Created task: Renew parking permit · due 2030-06-15 · id: \S+$/);
    const taskId = /id: (\S+)$/.exec(created.text)?.[1] ?? "";
    expect((await user.callTool("list_tasks", { listId, limit: 50 })).text).toContain(
      `Renew parking permit · due 2030-06-15 · id: ${taskId}`,
    );

    // What the user's own To Do app reads back from Graph.
    const token = await graphToken(user.entra.tenantId, user.entra.oid, ["Tasks.Read"]);
    const stored = (await (await graph(token, `/me/todo/lists/${listId}/tasks/${taskId}`)).json()) as {
      dueDateTime: { dateTime: string; timeZone: string };
    };
    expect(stored.dueDateTime.timeZone).toBe(zone);
    expect(stored.dueDateTime.dateTime.startsWith("2030-06-15T00:00:00")).toBe(true);
  });
});
