import { html } from "hono/html";
import { GROUP_DESCRIPTIONS, TOOL_GROUPS } from "../../../graph/tool-groups";
import { KNOWN_CLIENT_SCHEMES, type TenantPolicy } from "../../../tenancy/policy";
import { csrfField } from "./layout";
import { fieldError, invalidAttributes } from "./parts";

/**
 * @module The console's Policy page: read-only, tool groups and private-use
 * redirect schemes as a plain form, and the tools users get under the
 * policy as it is saved (the same rule as `tools/list`).
 */

const GROUP_NAMES: Record<(typeof TOOL_GROUPS)[number], string> = {
  mail: "Mail",
  calendar: "Calendar",
  contacts: "Contacts and people",
  teams: "Teams and chats",
  files: "OneDrive files",
  tasks: "To Do tasks",
  search: "Search across Microsoft 365",
  sharepoint: "SharePoint sites and lists",
  notes: "OneNote",
  planner: "Planner",
  meetings: "Meeting transcripts and presence",
};

export function policyBody(input: {
  csrfToken: string;
  policy: TenantPolicy;
  tools: readonly { name: string; description: string }[];
  groupsError?: string;
  flash: unknown;
}) {
  const { policy } = input;
  const checked = (on: boolean) => (on ? html`checked` : "");
  return html`<h1>Policy</h1>
    ${input.flash}
    <form method="post" action="/admin/policy" class="console-form">
      ${csrfField(input.csrfToken)}
      <div class="console-check">
        <input type="checkbox" id="policy-read-only" name="readOnly" value="on" ${checked(policy.readOnly)} />
        <label for="policy-read-only">Read-only: users' AI clients can read but never send, change or delete anything</label>
      </div>
      <fieldset ${input.groupsError ? html`aria-describedby="policy-groups-error"` : ""}>
        <legend>Tool groups users may use</legend>
        ${fieldError("policy-groups", input.groupsError)}
        ${TOOL_GROUPS.map(
          (group) =>
            html`<div class="console-check">
              <input
                type="checkbox"
                id="policy-group-${group}"
                name="enabledGroups"
                value="${group}"
                ${checked(policy.enabledGroups.includes(group))}
                ${invalidAttributes("policy-groups", input.groupsError)}
              />
              <label for="policy-group-${group}"
                >${GROUP_NAMES[group]} <span class="hint">${GROUP_DESCRIPTIONS[group][policy.readOnly ? "read" : "readWrite"]}</span></label
              >
            </div>`,
        )}
      </fieldset>
      <div class="console-check">
        <input
          type="checkbox"
          id="policy-schemes"
          name="allowCustomSchemeRedirects"
          value="on"
          ${checked(policy.allowCustomSchemeRedirects)}
        />
        <label for="policy-schemes"
          >Allow apps on users' computers that receive the sign-in through their own link scheme
          <span class="hint"
            >Schemes named after a domain (such as com.example.app:/callback) and ${KNOWN_CLIENT_SCHEMES.map((s) => `${s}://`).join(", ")}.
            Loopback and https redirects are always allowed.</span
          ></label
        >
      </div>
      <button type="submit">Save policy</button>
    </form>
    <h2>Tools users get</h2>
    <p>
      ${input.tools.length} tools, for a user who granted every permission this policy asks for. Users who connected before a group was
      enabled must connect again (sign in once more) to grant its permissions; until then its tools stay hidden from them.
    </p>
    <ul class="console-tools">
      ${input.tools.map((tool) => html`<li><code>${tool.name}</code> <span class="hint">${tool.description}</span></li>`)}
    </ul>`;
}
