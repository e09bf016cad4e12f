import { calendarTools } from "./calendar.tools";
import { contactsTools } from "./contacts.tools";
import { filesTools } from "./files.tools";
import { mailWriteTools } from "./mail-write.tools";
import { mailTools } from "./mail.tools";
import { meetingsTools } from "./meetings.tools";
import { notesTools } from "./notes.tools";
import { plannerTools } from "./planner.tools";
import { profileTools } from "./profile.tools";
import { searchTools } from "./search.tools";
import { sharepointTools } from "./sharepoint.tools";
import { tasksTools } from "./tasks.tools";
import { teamsTools } from "./teams.tools";
import type { ToolDefinition } from "./types";

/** @module The tool catalogue: every tool of the `*.tools.ts` files, in one list. */

/** The whole catalogue, in the order clients list it. */
export const ALL_TOOLS: readonly ToolDefinition[] = [
  ...profileTools,
  ...mailTools,
  ...mailWriteTools,
  ...calendarTools,
  ...contactsTools,
  ...teamsTools,
  ...filesTools,
  ...tasksTools,
  ...searchTools,
  ...sharepointTools,
  ...notesTools,
  ...plannerTools,
  ...meetingsTools,
];
