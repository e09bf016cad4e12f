import type { EmulatedTenant } from "../../state";
import { historyEnd } from "../day";
import { seededId } from "../random";
import { DAY_MS } from "../timezones";
import type { BucketRecord, PlannerAssignment, PlannerStore, PlannerTaskRecord, PlanRecord } from "./model";

/**
 * @module
 * A tenant's seeded Planner: two group plans every user of the tenant (at the
 * time of first use) belongs to, with buckets and tasks assigned round-robin
 * to those users, and one plan of a group none of them is in (invisible:
 * reading it answers 403 as Planner does for a plan you cannot access).
 */
const PLANS: { title: string; everyone: boolean; buckets: { name: string; tasks: string[] }[] }[] = [
  {
    title: "Atlas Platform roadmap",
    everyone: true,
    buckets: [
      { name: "To do", tasks: ["Write the API deprecation notice", "Review on-call runbook", "Plan the load-test week"] },
      { name: "In progress", tasks: ["Migrate billing to the new queue", "Draft Q3 capacity plan"] },
      { name: "Done", tasks: ["Rotate the signing keys"] },
    ],
  },
  {
    title: "Office move",
    everyone: true,
    buckets: [
      { name: "Logistics", tasks: ["Book the movers", "Label the desks", "Order new badges"] },
      { name: "IT", tasks: ["Move the printers", "Test the meeting-room screens"] },
    ],
  },
  { title: "Board planning", everyone: false, buckets: [{ name: "Agenda", tasks: ["Prepare the board pack"] }] },
];

/** Planner's orderHint: any string that sorts; " !" is what a client sends for "first". */
const hint = (index: number) => ` ${String.fromCharCode(33 + index)}`;

export function seedPlanner(tenant: EmulatedTenant, seedDay: number): PlannerStore {
  const store: PlannerStore = { plans: new Map(), buckets: new Map(), tasks: new Map() };
  const users = [...tenant.users.values()].map((user) => user.oid);
  const created = new Date(historyEnd(seedDay) - 30 * DAY_MS).toISOString();
  const creator = users[0] ?? seededId(`planner-creator:${tenant.tenantId}`);
  let counter = 0;
  PLANS.forEach((spec, p) => {
    const plan: PlanRecord = {
      id: seededId(`plan:${tenant.tenantId}:${p}`).replace(/-/g, "").slice(0, 28),
      title: spec.title,
      groupId: seededId(`plan-group:${tenant.tenantId}:${p}`),
      members: new Set(spec.everyone ? users : []),
      createdDateTime: created,
      createdBy: creator,
      version: 1,
    };
    store.plans.set(plan.id, plan);
    spec.buckets.forEach((bucketSpec, b) => {
      const bucket: BucketRecord = {
        id: seededId(`bucket:${tenant.tenantId}:${p}:${b}`).replace(/-/g, "").slice(0, 28),
        planId: plan.id,
        name: bucketSpec.name,
        orderHint: hint(b),
        version: 1,
      };
      store.buckets.set(bucket.id, bucket);
      bucketSpec.tasks.forEach((title, t) => {
        const assignee = spec.everyone ? users[counter % Math.max(users.length, 1)] : undefined;
        counter += 1;
        const done = bucketSpec.name === "Done";
        const task: PlannerTaskRecord = {
          id: seededId(`ptask:${tenant.tenantId}:${p}:${b}:${t}`).replace(/-/g, "").slice(0, 28),
          planId: plan.id,
          bucketId: bucket.id,
          title,
          orderHint: hint(t),
          assigneePriority: "",
          percentComplete: done ? 100 : bucketSpec.name === "In progress" ? 50 : 0,
          priority: 5,
          startDateTime: null,
          dueDateTime: new Date(seedDay + (3 + counter * 2) * DAY_MS).toISOString(),
          createdDateTime: created,
          completedDateTime: done ? created : null,
          createdBy: { user: { id: creator } },
          assignments: assignee ? { [assignee]: assignment(creator, created, hint(0)) } : {},
          version: 1,
        };
        store.tasks.set(task.id, task);
      });
    });
  });
  return store;
}

export function assignment(by: string, at: string, orderHint: string): PlannerAssignment {
  return { "@odata.type": "#microsoft.graph.plannerAssignment", assignedDateTime: at, orderHint, assignedBy: { user: { id: by } } };
}
