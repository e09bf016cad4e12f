import { type Context, Hono } from "hono";
import { z } from "zod";
import type { GraphEnv } from "../../context";
import { scopes } from "../auth";
import { readGraphBody } from "../body";
import { GRAPH_ERRORS } from "../errors";
import { listResponse, QUERY_RULES, selectFields } from "../odata";
import { opaqueId } from "../random";
import {
  type DateTimeTimeZone,
  graphDateTime,
  IMPORTANCES,
  presentList,
  presentTask,
  seedTodo,
  TASK_STATUSES,
  type TaskListRecord,
  type TaskRecord,
} from "./seed";

/** Graph v1.0 Microsoft To Do: /me/todo/lists and their tasks, per user. */
const READ = ["Tasks.Read", "Tasks.ReadWrite"];
const WRITE = ["Tasks.ReadWrite"];

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$/;
const DateTimeTz = z
  .strictObject({ dateTime: z.string(), timeZone: z.string().min(1).max(100) })
  .refine((value) => !Number.isNaN(Date.parse(LOCAL_DATE_TIME.test(value.dateTime) ? `${value.dateTime.slice(0, 23)}Z` : value.dateTime)), {
    message: "dateTime is not a valid date and time",
  })
  .transform((value): DateTimeTimeZone => {
    // A wall-clock time keeps its zone; one with an offset is normalised to UTC.
    if (LOCAL_DATE_TIME.test(value.dateTime)) return { dateTime: graphDateTime(Date.parse(`${value.dateTime.slice(0, 19)}Z`)), timeZone: value.timeZone };
    return { dateTime: graphDateTime(Date.parse(value.dateTime)), timeZone: "UTC" };
  });

const TaskInput = z
  .strictObject({
    title: z.string().min(1).max(255),
    status: z.enum(TASK_STATUSES),
    importance: z.enum(IMPORTANCES),
    isReminderOn: z.boolean(),
    reminderDateTime: DateTimeTz.nullable(),
    dueDateTime: DateTimeTz.nullable(),
    startDateTime: DateTimeTz.nullable(),
    completedDateTime: DateTimeTz.nullable(),
    body: z.strictObject({ content: z.string().max(100_000), contentType: z.enum(["text", "html"]).default("text") }),
    categories: z.array(z.string().max(255)).max(25),
  })
  .partial();
const NewTask = TaskInput.required({ title: true });
const NewList = z.strictObject({ displayName: z.string().min(1).max(255) });
type TaskPatch = z.infer<typeof TaskInput>;


function todoOf(c: Context<GraphEnv>) {
  const { tenant, user } = c.get("caller");
  return c.get("graph").forUser("todo", tenant.tenantId, user, (owner, day) => seedTodo(tenant.tenantId, owner, day));
}

const notFound = () => GRAPH_ERRORS.notFound("The specified object was not found in the store.");

function findList(c: Context<GraphEnv>): TaskListRecord | undefined {
  return todoOf(c).lists.get(c.req.param("listId") ?? "");
}

function findTask(c: Context<GraphEnv>): { list: TaskListRecord; task: TaskRecord } | undefined {
  const list = findList(c);
  const task = list?.tasks.get(c.req.param("taskId") ?? "");
  return list && task ? { list, task } : undefined;
}

/** Applies a PATCH/POST body as To Do does: null clears, status drives completedDateTime. */
function applyPatch(task: TaskRecord, patch: TaskPatch, now: number): void {
  const { status, body, completedDateTime, ...rest } = patch;
  for (const [key, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    if (value === null) delete (task as unknown as Record<string, unknown>)[key];
    else Object.assign(task, { [key]: value });
  }
  if (body) {
    task.body = body;
    task.bodyLastModifiedDateTime = new Date(now).toISOString();
  }
  if (completedDateTime === null) delete task.completedDateTime;
  else if (completedDateTime) task.completedDateTime = completedDateTime;
  if (status) {
    if (status === "completed" && task.status !== "completed" && !completedDateTime) {
      task.completedDateTime = { dateTime: graphDateTime(now), timeZone: "UTC" };
    }
    if (status !== "completed") delete task.completedDateTime;
    task.status = status;
  }
  task.lastModifiedDateTime = new Date(now).toISOString();
}

export const todoRoutes = new Hono<GraphEnv>()
  .get("/me/todo/lists", scopes(...READ), (c) => listResponse(c, [...todoOf(c).lists.values()], { ...QUERY_RULES.outlook, present: presentList, defaultTop: 100 }))
  .post("/me/todo/lists", scopes(...WRITE), async (c) => {
    const input = await readGraphBody(c, NewList);
    if (input instanceof Response) return input;
    const { tenant, user } = c.get("caller");
    const id = opaqueId(`todo-list:${tenant.tenantId}:${user.oid}:${crypto.randomUUID()}`);
    const list: TaskListRecord = { id, displayName: input.displayName, isOwner: true, isShared: false, wellknownListName: "none", tasks: new Map() };
    todoOf(c).lists.set(id, list);
    return c.json(presentList(list), 201);
  })
  .get("/me/todo/lists/:listId", scopes(...READ), (c) => {
    const list = findList(c);
    return list ? c.json(selectFields(presentList(list), c.req.query("$select"))) : notFound();
  })
  .get("/me/todo/lists/:listId/tasks", scopes(...READ), (c) => {
    const list = findList(c);
    if (!list) return notFound();
    return listResponse(c, [...list.tasks.values()], { ...QUERY_RULES.outlook, present: presentTask });
  })
  .post("/me/todo/lists/:listId/tasks", scopes(...WRITE), async (c) => {
    const list = findList(c);
    if (!list) return notFound();
    const input = await readGraphBody(c, NewTask);
    if (input instanceof Response) return input;
    const { tenant, user } = c.get("caller");
    const now = Date.now();
    const id = opaqueId(`todo-task:${tenant.tenantId}:${user.oid}:${crypto.randomUUID()}`);
    const task: TaskRecord = {
      id,
      title: input.title,
      status: "notStarted",
      importance: "normal",
      isReminderOn: false,
      createdDateTime: new Date(now).toISOString(),
      lastModifiedDateTime: new Date(now).toISOString(),
      bodyLastModifiedDateTime: new Date(now).toISOString(),
      hasAttachments: false,
      categories: [],
      body: { content: "", contentType: "text" },
    };
    applyPatch(task, input, now);
    list.tasks.set(id, task);
    return c.json(presentTask(task), 201);
  })
  .get("/me/todo/lists/:listId/tasks/:taskId", scopes(...READ), (c) => {
    const found = findTask(c);
    return found ? c.json(selectFields(presentTask(found.task), c.req.query("$select"))) : notFound();
  })
  .patch("/me/todo/lists/:listId/tasks/:taskId", scopes(...WRITE), async (c) => {
    const found = findTask(c);
    if (!found) return notFound();
    const input = await readGraphBody(c, TaskInput);
    if (input instanceof Response) return input;
    applyPatch(found.task, input, Date.now());
    return c.json(presentTask(found.task));
  })
  .delete("/me/todo/lists/:listId/tasks/:taskId", scopes(...WRITE), (c) => {
    const found = findTask(c);
    if (!found) return notFound();
    found.list.tasks.delete(found.task.id);
    return c.body(null, 204);
  });
