import { z } from "zod";
import { graphPath, odataString } from "../path";
import { LIST_SELECT, listLine, type TaskList, TASK_SELECT, taskLine, type TodoTask } from "../format/tasks";
import { cursorField, idField, limitField, nextCursorLine, pageRequest } from "./common";
import { CREATE, defineTool, expectOk, READ, UPDATE } from "./types";

/** Microsoft To Do: task lists and their tasks (/me/todo/lists). */
const TASKS_READ = ["Tasks.Read", "Tasks.ReadWrite"];
const TASKS_WRITE = ["Tasks.ReadWrite"];

interface Page<T> {
  value?: T[];
  "@odata.nextLink"?: string;
}

// "." and ".." survive graphPath's encoding as dot segments (WHATWG URLs resolve %2E%2E), so refuse them.
const id = (what: string) => idField(what).refine((value) => value !== "." && value !== "..", "not a valid id");
const listId = id("task list");

/** A real YYYY-MM-DD date (Date.parse alone accepts 2026-02-30). */
function isCalendarDate(value: string): boolean {
  const parsed = new Date(`${value}T00:00:00Z`);
  return /^\d{4}-\d\d-\d\d$/.test(value) && !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

export const tasksTools = [
  defineTool({
    name: "list_task_lists",
    group: "tasks",
    description: "List your Microsoft To Do lists.",
    input: {},
    scopes: TASKS_READ,
    annotations: READ,
    async run(ctx) {
      const body = expectOk<Page<TaskList>>(await ctx.graph({ method: "GET", path: "/me/todo/lists", query: { $select: LIST_SELECT } }), "list your task lists");
      const lists = body.value ?? [];
      return lists.length === 0 ? "No task lists." : lists.map(listLine).join("\n");
    },
  }),
  defineTool({
    name: "list_tasks",
    group: "tasks",
    description: "List the tasks in a To Do list; open ones only unless includeCompleted.",
    input: { listId, includeCompleted: z.boolean().default(false), limit: limitField(), cursor: cursorField },
    scopes: TASKS_READ,
    annotations: READ,
    async run(ctx, input) {
      const query: Record<string, string> = { $select: TASK_SELECT, $top: String(input.limit) };
      if (!input.includeCompleted) query.$filter = `status ne ${odataString("completed")}`;
      const first = { method: "GET" as const, path: graphPath`/me/todo/lists/${input.listId}/tasks`, query };
      const body = expectOk<Page<TodoTask>>(await ctx.graph(await pageRequest(ctx, input.cursor, first)), "list the tasks");
      const tasks = body.value ?? [];
      if (tasks.length === 0) return input.includeCompleted ? "No tasks in this list." : "No open tasks in this list.";
      return tasks.map(taskLine).join("\n") + (await nextCursorLine(ctx, first, body));
    },
  }),
  defineTool({
    name: "create_task",
    group: "tasks",
    description: "Add a task to a To Do list.",
    input: {
      listId,
      title: z
        .string()
        .trim()
        .refine((value) => value.length > 0, "expected a title")
        .refine((value) => value.length <= 255, "at most 255 characters"),
      dueDate: z
        .string()
        .refine(isCalendarDate, "expected a date as YYYY-MM-DD")
        .optional()
        .describe("YYYY-MM-DD."),
      importance: z.enum(["low", "normal", "high"]).optional(),
      note: z
        .string()
        .refine((value) => value.length <= 10_000, "at most 10000 characters")
        .optional(),
    },
    scopes: TASKS_WRITE,
    annotations: CREATE,
    async run(ctx, input) {
      const body: Record<string, unknown> = { title: input.title };
      if (input.importance) body.importance = input.importance;
      if (input.note) body.body = { content: input.note, contentType: "text" };
      // To Do keeps a due date as midnight in the user's zone; UTC midnight would show a day early west of UTC.
      if (input.dueDate) body.dueDateTime = { dateTime: `${input.dueDate}T00:00:00`, timeZone: await ctx.timeZone() };
      const created = expectOk<TodoTask>(await ctx.graph({ method: "POST", path: graphPath`/me/todo/lists/${input.listId}/tasks`, body }), "create the task");
      return `Created task: ${taskLine(created)}`;
    },
  }),
  defineTool({
    name: "complete_task",
    group: "tasks",
    description: "Mark a To Do task as completed.",
    input: { listId, taskId: id("task") },
    scopes: TASKS_WRITE,
    annotations: UPDATE,
    async run(ctx, input) {
      const path = graphPath`/me/todo/lists/${input.listId}/tasks/${input.taskId}`;
      // Setting a status is idempotent, so a 503 may be retried (and completing twice is harmless).
      const task = expectOk<TodoTask>(await ctx.graph({ method: "PATCH", path, body: { status: "completed" }, idempotent: true }), "complete the task");
      return `Completed: ${taskLine(task)}`;
    },
  }),
];
