import type { EmulatedUser } from "../../state";
import { historyEnd } from "../day";
import { seededRandom } from "../random";
import { DAY_MS } from "../timezones";
import type { NotebookRecord, OneNoteStore, PageRecord, SectionRecord } from "./model";

/**
 * @module
 * A user's seeded OneNote: two notebooks with sections and pages, one page
 * with a table and one long enough to be read in windows.
 */
const LONG_PARAGRAPHS = Array.from(
  { length: 40 },
  (_, index) =>
    `<p>Step ${index + 1}: check the service dashboard, confirm the alert is real, note the time and page the owner of the failing component.</p>`,
).join("");

const NOTEBOOKS: { name: string; sections: { name: string; pages: { title: string; body: string }[] }[] }[] = [
  {
    name: "Work notes",
    sections: [
      {
        name: "Meetings",
        pages: [
          { title: "Weekly sync", body: "<p>Agreed to ship the billing migration next sprint.</p><p>Owner: Dana.</p>" },
          {
            title: "Budget review",
            body: "<p>Spend by team:</p><table><tr><td>Team</td><td>Spend</td></tr><tr><td>Platform</td><td>42,000</td></tr><tr><td>Support</td><td>18,500</td></tr></table>",
          },
          { title: "Retro notes", body: "<ul><li>Deploys were smoother</li><li>Too many meetings</li></ul>" },
          { title: "Customer call: Kestrel Freight", body: "<p>They want a quarterly usage report.</p>" },
          { title: "Planning day", body: "<h2>Goals</h2><p>Cut page load time in half.</p>" },
        ],
      },
      {
        name: "Runbooks",
        pages: [
          { title: "Incident response", body: `<h1>Incident response</h1>${LONG_PARAGRAPHS}` },
          { title: "Key rotation", body: "<p>Rotate every 90 days; keep the old key for a day.</p>" },
        ],
      },
    ],
  },
  {
    name: "Personal",
    sections: [{ name: "Ideas", pages: [{ title: "Side projects", body: "<p>A tide-table app.</p>" }] }],
  },
];

/** OneNote ids look like `0-<hex>!<n>-<hex>`. */
function noteId(random: () => number, prefix: string): string {
  const hex = (length: number) => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join("");
  return `${prefix}-${hex(32)}!${Math.floor(random() * 90) + 10}-${hex(16).toUpperCase()}!${Math.floor(random() * 900) + 100}`;
}

export function seedOneNote(tenantId: string, user: EmulatedUser, seedDay: number): OneNoteStore {
  const random = seededRandom(`onenote:${tenantId}:${user.oid}`);
  const end = historyEnd(seedDay);
  const store: OneNoteStore = { notebooks: new Map(), sections: new Map(), pages: new Map() };
  let age = 0;
  for (const [n, spec] of NOTEBOOKS.entries()) {
    const stamp = () => new Date(end - (age += 1) * DAY_MS).toISOString();
    const notebook: NotebookRecord = {
      id: noteId(random, "0"),
      displayName: spec.name,
      isDefault: n === 0,
      createdDateTime: stamp(),
      lastModifiedDateTime: stamp(),
    };
    store.notebooks.set(notebook.id, notebook);
    for (const [s, sectionSpec] of spec.sections.entries()) {
      const section: SectionRecord = {
        id: noteId(random, "0"),
        notebookId: notebook.id,
        displayName: sectionSpec.name,
        isDefault: n === 0 && s === 0,
        createdDateTime: stamp(),
        lastModifiedDateTime: stamp(),
      };
      store.sections.set(section.id, section);
      for (const [p, pageSpec] of sectionSpec.pages.entries()) {
        const at = stamp();
        const page: PageRecord = {
          id: noteId(random, "1"),
          sectionId: section.id,
          title: pageSpec.title,
          bodyHtml: pageSpec.body,
          createdDateTime: at,
          lastModifiedDateTime: at,
          order: p,
        };
        store.pages.set(page.id, page);
      }
    }
  }
  return store;
}
