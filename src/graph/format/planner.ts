import { type Zone, toWall } from "./time";

/**
 * @module Planner plans, buckets and tasks as one line each, ids last for
 * follow-up calls. Due dates are shown as the calendar day in the user's time
 * zone, as Planner shows them.
 */

export interface PlannerPlan {
  id: string;
  title?: string;
}

export interface PlannerBucket {
  id: string;
  name?: string;
}

export interface PlannerTask {
  id: string;
  "@odata.etag"?: string;
  planId?: string;
  bucketId?: string | null;
  title?: string;
  percentComplete?: number;
  dueDateTime?: string | null;
  assignments?: Record<string, unknown>;
}

export const planLine = (plan: PlannerPlan): string => `${plan.title || "(untitled)"} · id: ${plan.id}`;

export const bucketLine = (bucket: PlannerBucket): string => `${bucket.name || "(unnamed)"} · id: ${bucket.id}`;

/** The calendar day of an instant in `zone`. */
function dayIn(value: string, zone: Zone): string | undefined {
  const instant = Date.parse(value);
  return Number.isNaN(instant) ? undefined : new Date(toWall(zone.iana, instant)).toISOString().slice(0, 10);
}

/** Planner has three visible states: 0 not started, 1–99 in progress (shown as a percentage), 100 done. */
function progress(percent: number | undefined): string | undefined {
  if (percent === 100) return "done";
  return percent ? `${percent}%` : undefined;
}

export function plannerTaskLine(task: PlannerTask, zone: Zone): string {
  const assignees = Object.keys(task.assignments ?? {}).length;
  return [
    task.title || "(untitled)",
    task.dueDateTime ? `due ${dayIn(task.dueDateTime, zone)}` : undefined,
    progress(task.percentComplete),
    assignees ? `${assignees} assigned` : undefined,
    task.planId ? `plan: ${task.planId}` : undefined,
    task.bucketId ? `bucket: ${task.bucketId}` : undefined,
    `id: ${task.id}`,
  ]
    .filter(Boolean)
    .join(" · ");
}
