import { opaqueId } from "../random";

/**
 * @module
 * A user's Microsoft To Do as stored: records are the wire shapes of
 * `todoTaskList` and `todoTask` (without `@odata.etag`).
 */
export interface DateTimeTimeZone {
  dateTime: string;
  timeZone: string;
}

export const TASK_STATUSES = ["notStarted", "inProgress", "completed", "waitingOnOthers", "deferred"] as const;
export const IMPORTANCES = ["low", "normal", "high"] as const;

export interface TaskRecord {
  id: string;
  title: string;
  status: (typeof TASK_STATUSES)[number];
  importance: (typeof IMPORTANCES)[number];
  isReminderOn: boolean;
  reminderDateTime?: DateTimeTimeZone;
  createdDateTime: string;
  lastModifiedDateTime: string;
  bodyLastModifiedDateTime: string;
  hasAttachments: boolean;
  categories: string[];
  body: { content: string; contentType: "text" | "html" };
  dueDateTime?: DateTimeTimeZone;
  startDateTime?: DateTimeTimeZone;
  completedDateTime?: DateTimeTimeZone;
}

export interface TaskListRecord {
  id: string;
  displayName: string;
  isOwner: boolean;
  isShared: boolean;
  wellknownListName: "defaultList" | "flaggedEmails" | "none";
  tasks: Map<string, TaskRecord>;
}

export interface TodoStore {
  lists: Map<string, TaskListRecord>;
}

/** Graph's dateTimeTimeZone string: seconds plus seven fraction digits, no offset. */
export function graphDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}.0000000`;
}

export function presentList(list: TaskListRecord): Record<string, unknown> {
  return {
    "@odata.etag": `W/"${opaqueId(`etag:${list.id}:${list.displayName}`).slice(4, 32)}"`,
    displayName: list.displayName,
    isOwner: list.isOwner,
    isShared: list.isShared,
    wellknownListName: list.wellknownListName,
    id: list.id,
  };
}

export function presentTask(task: TaskRecord): Record<string, unknown> {
  return { "@odata.etag": `W/"${opaqueId(`etag:${task.id}:${task.lastModifiedDateTime}`).slice(4, 32)}"`, ...task };
}
