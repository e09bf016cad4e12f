import type { EmulatedUser } from "../../state";
import { historyEnd } from "../day";
import { opaqueId, pick, seededRandom } from "../random";
import { graphDateTime, type TaskListRecord, type TaskRecord, type TodoStore } from "./model";
import { DAY_MS } from "../timezones";

/**
 * @module
 * A user's seeded Microsoft To Do: the default "Tasks" list, "Flagged
 * email", and a few invented lists (one shared), each with a handful of
 * tasks.
 */
const LISTS: {
  displayName: string;
  wellknownListName: TaskListRecord["wellknownListName"];
  isShared: boolean;
  isOwner: boolean;
  titles: string[];
}[] = [
  {
    displayName: "Tasks",
    wellknownListName: "defaultList",
    isShared: false,
    isOwner: true,
    titles: [
      "Renew parking permit",
      "Book dentist appointment",
      "Submit travel expenses",
      "Update emergency contact details",
      "Back up laptop",
      "Order replacement headset",
      "Read the new security policy",
      "Schedule 1:1 with manager",
    ],
  },
  {
    displayName: "Flagged email",
    wellknownListName: "flaggedEmails",
    isShared: false,
    isOwner: true,
    titles: [
      "Reply: supplier price revision",
      "Follow up: contract redlines",
      "Review: onboarding checklist draft",
      "Answer: venue options for the offsite",
      "Confirm: invoice 4471 payment date",
    ],
  },
  {
    displayName: "Q3 launch prep",
    wellknownListName: "none",
    isShared: true,
    isOwner: true,
    titles: [
      "Freeze feature scope",
      "Draft release notes",
      "Brief the support team",
      "Run load test on checkout",
      "Prepare launch-day rota",
      "Sign off localisation",
      "Record demo video",
      "Send partner newsletter",
      "Verify rollback plan",
    ],
  },
  {
    displayName: "Home renovation",
    wellknownListName: "none",
    isShared: false,
    isOwner: true,
    titles: [
      "Get three quotes for the roof",
      "Pick kitchen tiles",
      "Measure the hallway",
      "Call the electrician back",
      "Donate the old wardrobe",
    ],
  },
  {
    displayName: "Reading list",
    wellknownListName: "none",
    isShared: true,
    isOwner: false,
    titles: [
      "The Salt Road (novel)",
      "Essay on slow software",
      "Field guide to moss",
      "History of the container ship",
      "Notes on negotiation",
    ],
  },
];

const NOTES = [
  "",
  "",
  "Check the shared drive for the latest version first.",
  "Ask in the team channel if blocked.",
  "Low effort, just needs doing.",
  "Needs budget approval before starting.",
];
const CATEGORIES = ["Red category", "Blue category", "Green category", "Yellow category"];
/**
 * A list of several tasks always has some done and some open, as a lived-in
 * one does: nine tasks at 30% done drew none in about 1 seed in 25.
 */
function showBothStates(tasks: TaskRecord[]): void {
  const [first] = tasks;
  const last = tasks.at(-1);
  if (!first || !last || tasks.length < 2) return;
  if (!tasks.some((task) => task.status === "completed")) {
    last.status = "completed";
    last.completedDateTime = { dateTime: graphDateTime(Date.parse(last.lastModifiedDateTime)), timeZone: "UTC" };
  }
  if (tasks.every((task) => task.status === "completed")) {
    first.status = "notStarted";
    delete first.completedDateTime;
  }
}

/** To Do lists: due dates around `seedDay`, created and modified before `historyEnd(seedDay)`; draws keyed by the owner's oid. */
export function seedTodo(tenantId: string, user: EmulatedUser, seedDay: number): TodoStore {
  const random = seededRandom(`todo:${user.oid}`);
  const today = seedDay;
  const past = historyEnd(seedDay);
  const lists = new Map<string, TaskListRecord>();
  LISTS.forEach((spec, listIndex) => {
    const listId = opaqueId(`todo-list:${tenantId}:${user.oid}:${listIndex}`);
    const tasks = new Map<string, TaskRecord>();
    spec.titles.forEach((title, taskIndex) => {
      const id = opaqueId(`todo-task:${tenantId}:${user.oid}:${listIndex}:${taskIndex}`);
      const created = past - Math.floor((5 + random() * 60) * DAY_MS) + Math.floor(random() * DAY_MS);
      const modified = Math.min(past, created + Math.floor(random() * 10 * DAY_MS));
      const status =
        random() < 0.3 ? "completed" : pick(random, ["notStarted", "notStarted", "inProgress", "waitingOnOthers", "deferred"] as const);
      const task: TaskRecord = {
        id,
        title,
        status,
        importance: pick(random, ["normal", "normal", "high", "low"] as const),
        isReminderOn: false,
        createdDateTime: new Date(created).toISOString(),
        lastModifiedDateTime: new Date(modified).toISOString(),
        bodyLastModifiedDateTime: new Date(created).toISOString(),
        hasAttachments: false,
        categories: random() < 0.3 ? [pick(random, CATEGORIES)] : [],
        body: { content: pick(random, NOTES), contentType: "text" },
      };
      if (random() < 0.6) task.dueDateTime = { dateTime: graphDateTime(today + Math.floor(random() * 30 - 7) * DAY_MS), timeZone: "UTC" };
      if (task.dueDateTime && random() < 0.5) {
        task.isReminderOn = true;
        task.reminderDateTime = {
          dateTime: graphDateTime(Date.parse(`${task.dueDateTime.dateTime.slice(0, 19)}Z`) - DAY_MS / 3),
          timeZone: "UTC",
        };
      }
      if (status === "completed") task.completedDateTime = { dateTime: graphDateTime(modified), timeZone: "UTC" };
      tasks.set(id, task);
    });
    showBothStates([...tasks.values()]);
    lists.set(listId, {
      id: listId,
      displayName: spec.displayName,
      isOwner: spec.isOwner,
      isShared: spec.isShared,
      wellknownListName: spec.wellknownListName,
      tasks,
    });
  });
  return { lists };
}
