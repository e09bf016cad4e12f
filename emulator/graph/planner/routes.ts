import { type Context, Hono } from "hono";
import type { GraphEnv } from "../../context";
import { scopes } from "../auth";
import { readGraphBody } from "../body";
import { graphError } from "../errors";
import { seededId } from "../random";
import { NewPlannerTask, type PlannerTaskPatch, PlannerTaskPatch as PatchSchema } from "./input";
import { etagOf, type PlannerStore, type PlannerTaskRecord, type PlanRecord, presentBucket, presentPlan, presentTask } from "./model";
import { plannerPage } from "./paging";
import { assignment, seedPlanner } from "./seed";

/**
 * @module
 * Graph v1.0 Planner, per tenant: the caller's tasks and plans, a plan's
 * buckets and tasks, and creating and updating tasks. A plan is visible only
 * to its group's members (403 otherwise, as Planner answers); PATCH and DELETE
 * need `If-Match` with the task's current etag and answer 412 Precondition
 * Failed without it or with a stale one.
 */
const READ = ["Tasks.Read", "Tasks.ReadWrite", "Group.Read.All", "Group.ReadWrite.All"];
const WRITE = ["Tasks.ReadWrite", "Group.ReadWrite.All"];

const notFound = () => graphError(404, "NotFound", "The requested item is not found.");
const forbidden = () => graphError(403, "Forbidden", "You do not have the required permissions to access this item.");

function plannerOf(c: Context<GraphEnv>): PlannerStore {
  const { tenant } = c.get("caller");
  return c.get("graph").forTenant("planner", tenant.tenantId, (day) => seedPlanner(tenant, day));
}

const canSee = (c: Context<GraphEnv>, plan: PlanRecord | undefined) => plan !== undefined && plan.members.has(c.get("caller").user.oid);

/** The plan named by the path: 404 when unknown, 403 when the caller is not in its group. */
function planOf(c: Context<GraphEnv>, store: PlannerStore, id: string): PlanRecord | Response {
  const plan = store.plans.get(id);
  if (!plan) return notFound();
  return canSee(c, plan) ? plan : forbidden();
}

function taskOf(c: Context<GraphEnv>, store: PlannerStore): PlannerTaskRecord | Response {
  const task = store.tasks.get(c.req.param("taskId") ?? "");
  if (!task) return notFound();
  return canSee(c, store.plans.get(task.planId)) ? task : forbidden();
}

/** Planner's concurrency check: the If-Match header must carry the task's current etag. */
function preconditionFails(c: Context<GraphEnv>, task: PlannerTaskRecord): Response | undefined {
  const ifMatch = c.req.header("if-match");
  if (!ifMatch) return graphError(412, "PreconditionFailed", "The If-Match header must be specified for this kind of request.");
  if (ifMatch.trim() !== etagOf("Task", task.id, task.version)) {
    return graphError(
      412,
      "PreconditionFailed",
      "The request is rejected since the item has changed (the etag in If-Match is not current).",
    );
  }
  return undefined;
}

/** Applies a task body: checks the bucket is in the plan and each assignee is a user of the tenant. */
function applyTask(c: Context<GraphEnv>, store: PlannerStore, task: PlannerTaskRecord, patch: PlannerTaskPatch): Response | undefined {
  const { tenant, user } = c.get("caller");
  if (patch.bucketId !== undefined && store.buckets.get(patch.bucketId)?.planId !== task.planId) {
    return graphError(400, "BadRequest", "The bucket does not belong to the plan of the task.");
  }
  for (const userId of Object.keys(patch.assignments ?? {})) {
    if (!tenant.users.has(userId)) return graphError(400, "BadRequest", `The assignee '${userId}' is not a valid user id.`);
  }
  const now = new Date().toISOString();
  const { assignments, ...rest } = patch;
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) Object.assign(task, { [key]: value });
  for (const [userId, value] of Object.entries(assignments ?? {})) {
    if (value === null) delete task.assignments[userId];
    else task.assignments[userId] = assignment(user.oid, now, value.orderHint);
  }
  if (patch.percentComplete !== undefined) task.completedDateTime = patch.percentComplete === 100 ? (task.completedDateTime ?? now) : null;
  task.version += 1;
  return undefined;
}

export const plannerRoutes = new Hono<GraphEnv>()
  .get("/me/planner/tasks", scopes(...READ), (c) => {
    const store = plannerOf(c);
    const oid = c.get("caller").user.oid;
    const mine = [...store.tasks.values()].filter((task) => oid in task.assignments && canSee(c, store.plans.get(task.planId)));
    return plannerPage(c, mine.map(presentTask));
  })
  .get("/me/planner/plans", scopes(...READ), (c) => {
    const plans = [...plannerOf(c).plans.values()].filter((plan) => canSee(c, plan));
    return plannerPage(c, plans.map(presentPlan));
  })
  .get("/planner/plans/:planId/buckets", scopes(...READ), (c) => {
    const store = plannerOf(c);
    const plan = planOf(c, store, c.req.param("planId"));
    if (plan instanceof Response) return plan;
    const buckets = [...store.buckets.values()].filter((bucket) => bucket.planId === plan.id);
    return plannerPage(c, buckets.map(presentBucket));
  })
  .get("/planner/plans/:planId/tasks", scopes(...READ), (c) => {
    const store = plannerOf(c);
    const plan = planOf(c, store, c.req.param("planId"));
    if (plan instanceof Response) return plan;
    return plannerPage(c, [...store.tasks.values()].filter((task) => task.planId === plan.id).map(presentTask));
  })
  .get("/planner/tasks/:taskId", scopes(...READ), (c) => {
    const task = taskOf(c, plannerOf(c));
    return task instanceof Response ? task : c.json(presentTask(task));
  })
  .post("/planner/tasks", scopes(...WRITE), async (c) => {
    const input = await readGraphBody(c, NewPlannerTask, false, "microsoft.graph.plannerTask");
    if (input instanceof Response) return input;
    const store = plannerOf(c);
    const plan = planOf(c, store, input.planId);
    if (plan instanceof Response) return plan;
    const { user } = c.get("caller");
    const now = new Date().toISOString();
    const task: PlannerTaskRecord = {
      id: seededId(`ptask:${plan.id}:${crypto.randomUUID()}`).replace(/-/g, "").slice(0, 28),
      planId: plan.id,
      bucketId: null,
      title: input.title,
      orderHint: " !",
      assigneePriority: "",
      percentComplete: 0,
      priority: 5,
      startDateTime: null,
      dueDateTime: null,
      createdDateTime: now,
      completedDateTime: null,
      createdBy: { user: { id: user.oid } },
      assignments: {},
      version: 0,
    };
    const { planId: _planId, ...fields } = input;
    const refused = applyTask(c, store, task, fields);
    if (refused) return refused;
    store.tasks.set(task.id, task);
    return c.json(presentTask(task), 201);
  })
  .patch("/planner/tasks/:taskId", scopes(...WRITE), async (c) => {
    const store = plannerOf(c);
    const task = taskOf(c, store);
    if (task instanceof Response) return task;
    const precondition = preconditionFails(c, task);
    if (precondition) return precondition;
    const input = await readGraphBody(c, PatchSchema, false, "microsoft.graph.plannerTask");
    if (input instanceof Response) return input;
    const refused = applyTask(c, store, task, input);
    if (refused) return refused;
    const representation = /return=representation/i.test(c.req.header("prefer") ?? "");
    return representation ? c.json(presentTask(task)) : c.body(null, 204);
  })
  .delete("/planner/tasks/:taskId", scopes(...WRITE), (c) => {
    const store = plannerOf(c);
    const task = taskOf(c, store);
    if (task instanceof Response) return task;
    const precondition = preconditionFails(c, task);
    if (precondition) return precondition;
    store.tasks.delete(task.id);
    return c.body(null, 204);
  });
