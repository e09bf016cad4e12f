import { z } from "zod";
import type { GraphRequest } from "../client";
import { graphPath, odataString } from "../path";
import { LIST_SELECT, listLine, type TaskList, TASK_SELECT, taskLine, type TodoTask } from "../format/tasks";
import { cursorField, idField, limitField, listPage, type Page, textField } from "./common";
import { CREATE, defineTool, expectOk, READ, type ToolContext, UPDATE } from "./types";

/** @module Microsoft To Do: task lists and their tasks (/me/todo/lists). */

const TASKS_READ = ["Tasks.Read", "Tasks.ReadWrite"];
const TASKS_WRITE = ["Tasks.ReadWrite"];

const listId = idField("task list");

/** A real YYYY-MM-DD date (Date.parse alone accepts 2026-02-30). */
function isCalendarDate(value: string): boolean {
  const parsed = new Date(`${value}T00:00:00Z`);
  return /^\d{4}-\d\d-\d\d$/.test(value) && !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

/**
 * How many tasks of a list are completed: Graph's `@odata.count` of a
 * one-item page filtered to them ("some" when Graph gives no count). Best
 * effort: the open tasks were already read, so a failure here only drops the note.
 */
async function completedCount(ctx: ToolContext, path: string): Promise<number | "some"> {
  const response = await ctx.graph({
    method: "GET",
    path,
    query: { $filter: `status eq ${odataString("completed")}`, $select: "id", $top: "1", $count: "true" },
  });
  if (!response.ok) return 0;
  const body = response.body as Page<unknown> & { "@odata.count"?: number };
  if (typeof body["@odata.count"] === "number") return body["@odata.count"];
  return (body.value?.length ?? 0) > 0 ? "some" : 0;
}

const completedNote = (count: number | "some") =>
  `${count === "some" ? "Completed tasks" : count === 1 ? "1 completed task" : `${count} completed tasks`} not shown: pass includeCompleted.`;

export const tasksTools = [
  defineTool({
    name: "list_task_lists",
    group: "tasks",
    description: "List your Microsoft To Do lists.",
    input: {},
    scopes: TASKS_READ,
    annotations: READ,
    audit: {},
    async run(ctx) {
      const request: GraphRequest = { method: "GET", path: "/me/todo/lists", query: { $select: LIST_SELECT } };
      return listPage<TaskList>(ctx, request, {
        what: "list your task lists",
        empty: "No task lists.",
        line: listLine,
        more: "More task lists exist than shown.",
      });
    },
  }),
  defineTool({
    name: "list_tasks",
    group: "tasks",
    description: "List the tasks in a To Do list; open ones only unless includeCompleted.",
    input: { listId, includeCompleted: z.boolean().default(false), limit: limitField(50), cursor: cursorField },
    scopes: TASKS_READ,
    annotations: READ,
    audit: { targets: ["listId"], options: ["cursor"] },
    async run(ctx, input) {
      const query: Record<string, string> = { $select: TASK_SELECT, $top: String(input.limit) };
      if (!input.includeCompleted) query.$filter = `status ne ${odataString("completed")}`;
      const first: GraphRequest = { method: "GET", path: graphPath`/me/todo/lists/${input.listId}/tasks`, query };
      const empty = input.includeCompleted ? "No tasks in this list." : "No open tasks in this list.";
      const page = await listPage<TodoTask>(ctx, first, { cursor: input.cursor, what: "list the tasks", empty, line: taskLine });
      // The first page of open tasks says how many completed ones it left out, so a model need not guess they exist.
      const completed = input.includeCompleted || input.cursor ? 0 : await completedCount(ctx, first.path);
      return completed ? `${page}\n${completedNote(completed)}` : page;
    },
  }),
  defineTool({
    name: "create_task",
    group: "tasks",
    description: "Add a task to a To Do list.",
    input: {
      listId,
      title: textField(255, { expected: "a title" }),
      dueDate: z.string().refine(isCalendarDate, "expected a date as YYYY-MM-DD").optional().describe("YYYY-MM-DD."),
      importance: z.enum(["low", "normal", "high"]).optional(),
      note: textField(10_000, { verbatim: true }).optional(),
    },
    scopes: TASKS_WRITE,
    annotations: CREATE,
    audit: { targets: ["listId"], text: ["title", "note"], options: ["dueDate"], creates: true },
    async run(ctx, input) {
      const body: Record<string, unknown> = { title: input.title };
      if (input.importance) body.importance = input.importance;
      if (input.note) body.body = { content: input.note, contentType: "text" };
      // To Do keeps a due date as midnight in the user's zone; UTC midnight would show a day early west of UTC.
      if (input.dueDate) body.dueDateTime = { dateTime: `${input.dueDate}T00:00:00`, timeZone: await ctx.timeZone() };
      const created = expectOk<TodoTask>(
        await ctx.graph({ method: "POST", path: graphPath`/me/todo/lists/${input.listId}/tasks`, body }),
        "create the task",
      );
      return `Created task: ${taskLine(created)}`;
    },
  }),
  defineTool({
    name: "complete_task",
    group: "tasks",
    description: "Mark a To Do task as completed.",
    input: { listId, taskId: idField("task") },
    scopes: TASKS_WRITE,
    annotations: UPDATE,
    audit: { targets: ["listId", "taskId"] },
    async run(ctx, input) {
      const path = graphPath`/me/todo/lists/${input.listId}/tasks/${input.taskId}`;
      // Setting a status is idempotent, so a 503 may be retried (and completing twice is harmless).
      const task = expectOk<TodoTask>(
        await ctx.graph({ method: "PATCH", path, body: { status: "completed" }, idempotent: true }),
        "complete the task",
      );
      return `Completed: ${taskLine(task)}`;
    },
  }),
];
