import { profileTools } from "./profile.tools";
import { contactsTools } from "./contacts.tools";
import { teamsTools } from "./teams.tools";
import { filesTools } from "./files.tools";
import { tasksTools } from "./tasks.tools";
import { calendarTools } from "./calendar.tools";
import { mailTools } from "./mail.tools";
import { mailWriteTools } from "./mail-write.tools";
import type { ToolDefinition } from "./types";

/** The whole catalogue, in the order clients list it. */
export const ALL_TOOLS: readonly ToolDefinition[] = [...profileTools, ...contactsTools, ...teamsTools, ...filesTools, ...tasksTools, ...calendarTools, ...mailTools, ...mailWriteTools];
