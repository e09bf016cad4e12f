import { z } from "zod";
import type { GraphRequest } from "../client";
import { graphPath } from "../path";
import { bucketLine, type PlannerTask, planLine, plannerTaskLine } from "../format/planner";
import { fromWall, resolveZone, UTC_ZONE, type Zone } from "../format/time";
import { cursorField, idField, integerField, listPage, textField } from "./common";
import { CREATE, defineTool, expectOk, READ, type ToolContext, ToolError, UPDATE } from "./types";

/**
 * @module Microsoft Planner: your tasks, plans and their buckets, and creating
 * and updating tasks (/me/planner, /planner). Planner guards every change with
 * the task's etag (`If-Match`); the update reads the current one right before
 * it writes, and a change made meanwhile is refused (412), never overwritten.
 */

const PLANNER_READ = ["Tasks.Read", "Tasks.ReadWrite"];
const PLANNER_WRITE = ["Tasks.ReadWrite"];

const planId = idField("plan");
const bucketId = idField("bucket");

/** A real YYYY-MM-DD date. */
const dueDate = z
  .string()
  .refine((value) => {
    const parsed = new Date(`${value}T00:00:00Z`);
    return /^\d{4}-\d\d-\d\d$/.test(value) && !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
  }, "expected a date as YYYY-MM-DD")
  .describe("YYYY-MM-DD.");

const assigneeIds = z
  .array(idField("user", "a user id from search_users"))
  .max(20, "at most 20 assignees")
  .describe("User ids (search_users); on update they replace the assignees.");

async function zoneOf(ctx: ToolContext): Promise<Zone> {
  return resolveZone(await ctx.timeZone()) ?? UTC_ZONE;
}

/** Planner keeps a due date as an instant; the user's midnight keeps the day they chose in their own zone. */
const dueInstant = (date: string, zone: Zone) => new Date(fromWall(zone.iana, Date.parse(`${date}T00:00:00Z`))).toISOString();

/** Planner's assignment value: its type and an order hint (" !" puts it first). */
const ASSIGNMENT = { "@odata.type": "#microsoft.graph.plannerAssignment", orderHint: " !" };

/** Planner answers 412 when the etag in If-Match is no longer the task's: someone changed it meanwhile. */
function changedMeanwhile(status: number): void {
  if (status === 412) {
    throw new ToolError(
      "Could not update the task: it was changed by someone else while this update was made (Planner answered 412 Precondition Failed).",
      "Nothing was overwritten; call update_planner_task again to apply the change to the current task.",
    );
  }
}

export const plannerTools = [
  defineTool({
    name: "list_planner_tasks",
    group: "planner",
    description: "List Planner tasks assigned to you, or every task of a plan.",
    input: { planId: planId.optional(), cursor: cursorField },
    scopes: PLANNER_READ,
    annotations: READ,
    audit: { targets: ["planId"], options: ["cursor"] },
    async run(ctx, input) {
      const path = input.planId ? graphPath`/planner/plans/${input.planId}/tasks` : "/me/planner/tasks";
      const zone = await zoneOf(ctx);
      const first: GraphRequest = { method: "GET", path };
      return listPage<PlannerTask>(ctx, first, {
        cursor: input.cursor,
        what: "list the Planner tasks",
        empty: "No Planner tasks.",
        line: (task) => plannerTaskLine(task, zone),
      });
    },
  }),
  defineTool({
    name: "list_plans",
    group: "planner",
    description: "List the Planner plans you can use.",
    input: { cursor: cursorField },
    scopes: PLANNER_READ,
    annotations: READ,
    audit: { options: ["cursor"] },
    async run(ctx, input) {
      const first: GraphRequest = { method: "GET", path: "/me/planner/plans" };
      return listPage(ctx, first, { cursor: input.cursor, what: "list your plans", empty: "No plans.", line: planLine });
    },
  }),
  defineTool({
    name: "list_buckets",
    group: "planner",
    description: "List the buckets of a Planner plan.",
    input: { planId, cursor: cursorField },
    scopes: PLANNER_READ,
    annotations: READ,
    audit: { targets: ["planId"], options: ["cursor"] },
    async run(ctx, input) {
      const first: GraphRequest = { method: "GET", path: graphPath`/planner/plans/${input.planId}/buckets` };
      return listPage(ctx, first, { cursor: input.cursor, what: "list the buckets", empty: "No buckets.", line: bucketLine });
    },
  }),
  defineTool({
    name: "create_planner_task",
    group: "planner",
    description: "Add a task to a Planner plan.",
    input: {
      planId,
      title: textField(255, { expected: "a title" }),
      bucketId: bucketId.optional(),
      dueDate: dueDate.optional(),
      assigneeIds: assigneeIds.optional(),
    },
    scopes: PLANNER_WRITE,
    annotations: CREATE,
    audit: { targets: ["planId", "bucketId", "assigneeIds"], text: ["title"], options: ["dueDate"], creates: true },
    async run(ctx, input) {
      const zone = await zoneOf(ctx);
      const body: Record<string, unknown> = { planId: input.planId, title: input.title };
      if (input.bucketId) body.bucketId = input.bucketId;
      if (input.dueDate) body.dueDateTime = dueInstant(input.dueDate, zone);
      if (input.assigneeIds?.length) body.assignments = Object.fromEntries(input.assigneeIds.map((id) => [id, ASSIGNMENT]));
      const created = expectOk<PlannerTask>(await ctx.graph({ method: "POST", path: "/planner/tasks", body }), "create the task");
      return `Created: ${plannerTaskLine(created, zone)}`;
    },
  }),
  defineTool({
    name: "update_planner_task",
    group: "planner",
    description: "Change a Planner task; omitted fields stay.",
    input: {
      taskId: idField("task"),
      title: textField(255, { expected: "a title" }).optional(),
      percentComplete: integerField(0, 100).optional().describe("100 completes it."),
      dueDate: dueDate.optional(),
      bucketId: bucketId.optional(),
      assigneeIds: assigneeIds.optional(),
    },
    scopes: PLANNER_WRITE,
    annotations: UPDATE,
    audit: { targets: ["taskId", "bucketId", "assigneeIds"], text: ["title"], options: ["percentComplete", "dueDate"] },
    async run(ctx, { taskId, ...input }) {
      if (Object.values(input).every((value) => value === undefined))
        throw new ToolError("Nothing to update: give at least one field to change.");
      const path = graphPath`/planner/tasks/${taskId}`;
      // The current etag (and assignees, to work out who to remove) right before writing.
      const current = expectOk<PlannerTask>(await ctx.graph({ method: "GET", path }), "read the task");
      const etag = current["@odata.etag"];
      if (!etag) throw new ToolError("Could not update the task: Microsoft Graph gave no etag for it.");
      const zone = await zoneOf(ctx);
      const body: Record<string, unknown> = {};
      if (input.title !== undefined) body.title = input.title;
      if (input.percentComplete !== undefined) body.percentComplete = input.percentComplete;
      if (input.bucketId !== undefined) body.bucketId = input.bucketId;
      if (input.dueDate !== undefined) body.dueDateTime = dueInstant(input.dueDate, zone);
      if (input.assigneeIds) {
        const wanted = new Set(input.assigneeIds);
        const assignments: Record<string, unknown> = {};
        for (const id of Object.keys(current.assignments ?? {})) if (!wanted.has(id)) assignments[id] = null;
        for (const id of wanted) if (!(id in (current.assignments ?? {}))) assignments[id] = ASSIGNMENT;
        if (Object.keys(assignments).length) body.assignments = assignments;
      }
      const response = await ctx.graph({
        method: "PATCH",
        path,
        body,
        headers: { "If-Match": etag, Prefer: "return=representation" },
        idempotent: true,
      });
      if (!response.ok) changedMeanwhile(response.status);
      const updated = expectOk<PlannerTask | null>(response, "update the task");
      return `Updated: ${plannerTaskLine(updated ?? { ...current, ...body, id: taskId }, zone)}`;
    },
  }),
];
