import { z } from "zod";

/**
 * @module
 * Request bodies of the Planner task endpoints, as the plannerTask resource
 * documents them. Assignments are an open type keyed by user id; each value
 * is a plannerAssignment (with its `@odata.type` and an `orderHint`), or null
 * to remove the assignee.
 */
const Assignment = z.strictObject({
  "@odata.type": z.literal("#microsoft.graph.plannerAssignment"),
  orderHint: z.string(),
});

const Iso = z.iso.datetime({ offset: true });

const TaskFields = {
  bucketId: z.string().min(1).optional(),
  title: z.string().min(1).max(255).optional(),
  orderHint: z.string().optional(),
  assigneePriority: z.string().optional(),
  percentComplete: z.number().int().min(0).max(100).optional(),
  priority: z.number().int().min(0).max(10).optional(),
  startDateTime: Iso.nullable().optional(),
  dueDateTime: Iso.nullable().optional(),
  assignments: z.record(z.string(), Assignment.nullable()).optional(),
};

export const NewPlannerTask = z.strictObject({ ...TaskFields, planId: z.string().min(1), title: z.string().min(1).max(255) });

export const PlannerTaskPatch = z.strictObject(TaskFields);
export type PlannerTaskPatch = z.infer<typeof PlannerTaskPatch>;
