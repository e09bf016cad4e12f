import { profileTools } from "./profile.tools";
import type { ToolDefinition } from "./types";

/** The whole catalogue, in the order clients list it. */
export const ALL_TOOLS: readonly ToolDefinition[] = [...profileTools];
