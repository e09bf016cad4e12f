import { bodyText, oneLine } from "./text";

/** @module Microsoft To Do lists and tasks as one line each, ids last for follow-up calls. */

export interface TaskList {
  id: string;
  displayName?: string;
  wellknownListName?: string;
  isShared?: boolean;
}

export const LIST_SELECT = "id,displayName,wellknownListName,isShared";

export interface TodoTask {
  id: string;
  title?: string;
  status?: string;
  importance?: string;
  dueDateTime?: { dateTime?: string; timeZone?: string } | null;
  body?: { content?: string; contentType?: string } | null;
}

export const TASK_SELECT = "id,title,status,importance,dueDateTime,body";

const NOTE_PREVIEW = 80;

// notStarted is the default, so it is not printed.
const STATUS: Record<string, string> = {
  inProgress: "in progress",
  completed: "done",
  waitingOnOthers: "waiting on others",
  deferred: "deferred",
};

const WELL_KNOWN: Record<string, string> = { defaultList: "default list", flaggedEmails: "flagged email" };

export function listLine(list: TaskList): string {
  const kind = WELL_KNOWN[list.wellknownListName ?? ""];
  return [list.displayName ?? "(untitled)", kind, list.isShared ? "shared" : undefined, `id: ${list.id}`].filter(Boolean).join(" · ");
}

export function taskLine(task: TodoTask): string {
  // To Do stores a due date as midnight in some zone; the date part is what the user set.
  const due = task.dueDateTime?.dateTime ? `due ${task.dueDateTime.dateTime.slice(0, 10)}` : undefined;
  const importance = task.importance && task.importance !== "normal" ? `${task.importance} importance` : undefined;
  const note = oneLine(bodyText(task.body ?? undefined), NOTE_PREVIEW);
  return [task.title || "(untitled)", due, importance, STATUS[task.status ?? ""], note ? `note: ${note}` : undefined, `id: ${task.id}`]
    .filter(Boolean)
    .join(" · ");
}
