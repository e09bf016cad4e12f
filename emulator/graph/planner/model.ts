/**
 * @module
 * Planner as stored, per tenant: plans (each in a Microsoft 365 group whose
 * members may use it), their buckets, and tasks. Every record carries a
 * version that its `@odata.etag` is derived from; any change bumps it, so an
 * etag read before a change no longer matches (Planner's optimistic
 * concurrency: PATCH and DELETE need `If-Match` with the current etag).
 */
export interface PlanRecord {
  id: string;
  title: string;
  /** The Microsoft 365 group that contains the plan. */
  groupId: string;
  /** Oids of the group's members: only they see the plan and its tasks. */
  members: Set<string>;
  createdDateTime: string;
  createdBy: string;
  version: number;
}

export interface BucketRecord {
  id: string;
  planId: string;
  name: string;
  orderHint: string;
  version: number;
}

export interface PlannerAssignment {
  "@odata.type": "#microsoft.graph.plannerAssignment";
  assignedDateTime: string;
  orderHint: string;
  assignedBy: { user: { id: string } };
}

export interface PlannerTaskRecord {
  id: string;
  planId: string;
  bucketId: string | null;
  title: string;
  orderHint: string;
  assigneePriority: string;
  percentComplete: number;
  priority: number;
  startDateTime: string | null;
  dueDateTime: string | null;
  createdDateTime: string;
  completedDateTime: string | null;
  createdBy: { user: { id: string } };
  assignments: Record<string, PlannerAssignment>;
  version: number;
}

export interface PlannerStore {
  plans: Map<string, PlanRecord>;
  buckets: Map<string, BucketRecord>;
  tasks: Map<string, PlannerTaskRecord>;
}

/** Planner's etag shape: a weak tag around base64 of `'<n>-<Kind>'`-like text, changed by every write. */
export function etagOf(kind: string, id: string, version: number): string {
  return `W/"${btoa(`'${version}-${kind}-${id.slice(0, 8)}'`)}"`;
}

export function presentPlan(plan: PlanRecord): Record<string, unknown> {
  return {
    "@odata.etag": etagOf("Plan", plan.id, plan.version),
    id: plan.id,
    title: plan.title,
    owner: plan.groupId,
    createdDateTime: plan.createdDateTime,
    container: {
      containerId: plan.groupId,
      type: "group",
      url: `https://graph.microsoft.com/v1.0/groups/${plan.groupId}`,
    },
    createdBy: { user: { id: plan.createdBy, displayName: null } },
  };
}

export function presentBucket(bucket: BucketRecord): Record<string, unknown> {
  return {
    "@odata.etag": etagOf("Bucket", bucket.id, bucket.version),
    id: bucket.id,
    name: bucket.name,
    planId: bucket.planId,
    orderHint: bucket.orderHint,
  };
}

export function presentTask(task: PlannerTaskRecord): Record<string, unknown> {
  const { version, assignments, ...rest } = task;
  return {
    "@odata.etag": etagOf("Task", task.id, version),
    ...rest,
    hasDescription: false,
    previewType: "automatic",
    referenceCount: 0,
    checklistItemCount: 0,
    activeChecklistItemCount: 0,
    conversationThreadId: null,
    appliedCategories: {},
    assignments,
  };
}
