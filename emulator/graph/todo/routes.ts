import { type Context, Hono } from "hono";
import type { GraphEnv } from "../../context";
import { scopes } from "../auth";
import { readGraphBody } from "../body";
import { GRAPH_ERRORS } from "../errors";
import { listResponse, QUERY_RULES, selectFields } from "../odata";
import { opaqueId } from "../random";
import { NewList, NewTask, TaskInput, type TaskPatch } from "./input";
import { graphDateTime, presentList, presentTask, type TaskListRecord, type TaskRecord } from "./model";
import { seedTodo } from "./seed";

/**
 * @module
 * Graph v1.0 Microsoft To Do: /me/todo/lists and their tasks, per user.
 */
const READ = ["Tasks.Read", "Tasks.ReadWrite"];
const WRITE = ["Tasks.ReadWrite"];

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
  .get("/me/todo/lists", scopes(...READ), (c) =>
    listResponse(c, [...todoOf(c).lists.values()], { ...QUERY_RULES.outlook, present: presentList, defaultTop: 100 }),
  )
  .post("/me/todo/lists", scopes(...WRITE), async (c) => {
    const input = await readGraphBody(c, NewList);
    if (input instanceof Response) return input;
    const { tenant, user } = c.get("caller");
    const id = opaqueId(`todo-list:${tenant.tenantId}:${user.oid}:${crypto.randomUUID()}`);
    const list: TaskListRecord = {
      id,
      displayName: input.displayName,
      isOwner: true,
      isShared: false,
      wellknownListName: "none",
      tasks: new Map(),
    };
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
