import { historyEnd } from "../day";
import { mimeTypeOf } from "../files/content";
import type { DriveItemRecord, DriveStore } from "../files/model";
import { pick, seededId, seededRandom } from "../random";
import { DAY_MS } from "../timezones";
import type { ListItemRecord, ListRecord, SiteRecord, SitesStore } from "./model";

/**
 * @module
 * A tenant's seeded SharePoint: three team sites, each with a document
 * library of a few text files and a tracker list (one long enough to page),
 * the same for the same tenant every time. Invented content only.
 */
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const itemId = (seed: string) => {
  const random = seededRandom(`site-item:${seed}`);
  return `01${Array.from({ length: 32 }, () => BASE32[Math.floor(random() * 32)]).join("")}`;
};
const driveId = (seed: string) => {
  const random = seededRandom(`site-drive:${seed}`);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  return `b!${Array.from({ length: 64 }, () => alphabet[Math.floor(random() * alphabet.length)]).join("")}`;
};

interface SiteSpec {
  name: string;
  displayName: string;
  description: string;
  files: Record<string, string>;
  list: {
    name: string;
    displayName: string;
    count: number;
    columns: (random: () => number, index: number) => Record<string, string | number>;
  };
}

const PEOPLE = ["Avery Chen", "Jordan Patel", "Riley Moreau", "Sasha Novak", "Kai Lindqvist"];
const STATUSES = ["Not started", "In progress", "Blocked", "Done"];

const CAMPAIGN_KINDS = ["Webinar", "Newsletter", "Partner post", "Case study", "Launch event"];

const SITES: SiteSpec[] = [
  {
    name: "Marketing",
    displayName: "Marketing",
    description: "Campaigns, brand and launch planning",
    files: {
      "Brand guidelines.md": "# Brand guidelines\n\nUse the harbor blue palette and the rounded logo on light backgrounds.\n",
      "Campaigns/Spring launch plan.txt":
        "Spring launch plan\n\nChannels: newsletter, webinar, partner posts. Budget review on the launch checklist.\n",
      "Campaigns/Audience notes.txt": "Audience notes\n\nOperations leads ask for the cutover timeline first.\n",
    },
    list: {
      name: "Campaign tracker",
      displayName: "Campaign tracker",
      count: 30,
      columns: (random, index) => ({
        // Each kind in turn, not at random: every tenant's tracker has six of each, so a search for one
        // always finds enough items to page through.
        Title: `${CAMPAIGN_KINDS[index % CAMPAIGN_KINDS.length] ?? "Webinar"} ${index + 1}`,
        Status: pick(random, STATUSES),
        Owner: pick(random, PEOPLE),
        Budget: 500 + Math.floor(random() * 40) * 100,
      }),
    },
  },
  {
    name: "ProjectAtlas",
    displayName: "Project Atlas",
    description: "Atlas platform migration: plans, risks and decisions",
    files: {
      "Migration runbook.md": "# Migration runbook\n\n1. Freeze writes. 2. Copy data. 3. Cutover DNS. 4. Verify the invoice export.\n",
      "Decisions/Architecture decision 7.txt": "Decision 7: keep the reporting database read-only during cutover.\n",
    },
    list: {
      name: "Risks",
      displayName: "Risks",
      count: 6,
      columns: (random, index) => ({
        Title:
          ["Cutover overruns the weekend", "Vendor API rate limits", "Data drift", "Staff holidays", "Invoice export breaks", "DNS delay"][
            index
          ] ?? `Risk ${index + 1}`,
        Status: pick(random, STATUSES),
        Owner: pick(random, PEOPLE),
        Impact: pick(random, ["Low", "Medium", "High"]),
      }),
    },
  },
  {
    name: "HR",
    displayName: "People & HR",
    description: "Policies, onboarding and benefits",
    files: { "Onboarding checklist.txt": "Onboarding checklist\n\nLaptop, badge, benefits enrolment, buddy lunch.\n" },
    list: {
      name: "Onboarding",
      displayName: "Onboarding",
      count: 4,
      columns: (random, index) => ({ Title: `New starter ${index + 1}`, Status: pick(random, STATUSES), Owner: pick(random, PEOPLE) }),
    },
  },
];

function seedLibrary(tenantId: string, hostname: string, spec: SiteSpec, webUrl: string, created: number, today: number): DriveStore {
  const seed = `${tenantId}:${spec.name}`;
  const random = seededRandom(`site-files:${seed}`);
  const library: DriveStore = {
    driveId: driveId(seed),
    rootId: itemId(`${seed}:/`),
    owner: { oid: seededId(`site-owner:${seed}`), userPrincipalName: `system@${hostname}`, displayName: "System Account", mail: "" },
    webBase: webUrl,
    createdDateTime: new Date(created).toISOString(),
    items: new Map(),
  };
  const root: DriveItemRecord = {
    id: library.rootId,
    name: "root",
    parentId: null,
    createdDateTime: library.createdDateTime,
    lastModifiedDateTime: library.createdDateTime,
    folder: true,
    permissions: [],
  };
  library.items.set(root.id, root);
  const stamp = () => new Date(today - Math.floor(random() * 200 * DAY_MS)).toISOString();
  const ensureFolder = (path: string): string => {
    if (!path) return library.rootId;
    const id = itemId(`${seed}:/${path}`);
    if (!library.items.has(id)) {
      const slash = path.lastIndexOf("/");
      const at = stamp();
      library.items.set(id, {
        id,
        name: path.slice(slash + 1),
        parentId: ensureFolder(slash < 0 ? "" : path.slice(0, slash)),
        createdDateTime: at,
        lastModifiedDateTime: at,
        folder: true,
        permissions: [],
      });
    }
    return id;
  };
  for (const [path, text] of Object.entries(spec.files)) {
    const slash = path.lastIndexOf("/");
    const name = path.slice(slash + 1);
    const at = stamp();
    library.items.set(itemId(`${seed}:/${path}`), {
      id: itemId(`${seed}:/${path}`),
      name,
      parentId: ensureFolder(slash < 0 ? "" : path.slice(0, slash)),
      createdDateTime: at,
      lastModifiedDateTime: at,
      folder: false,
      mimeType: mimeTypeOf(name),
      content: new TextEncoder().encode(text),
      permissions: [],
    });
  }
  return library;
}

function seedList(seed: string, spec: SiteSpec, created: number, today: number): ListRecord {
  const random = seededRandom(`site-list:${seed}`);
  const items: ListItemRecord[] = Array.from({ length: spec.list.count }, (_, index) => {
    const at = today - Math.floor((spec.list.count - index) * DAY_MS + random() * DAY_MS);
    return {
      id: String(index + 1),
      uniqueId: seededId(`list-item:${seed}:${index}`),
      createdDateTime: new Date(at).toISOString(),
      lastModifiedDateTime: new Date(Math.min(today, at + Math.floor(random() * 3 * DAY_MS))).toISOString(),
      author: pick(random, PEOPLE),
      fields: spec.list.columns(random, index),
    };
  });
  return {
    id: seededId(`list:${seed}`),
    name: spec.list.name.replace(/\s+/g, ""),
    displayName: spec.list.displayName,
    description: "",
    template: "genericList",
    createdDateTime: new Date(created).toISOString(),
    lastModifiedDateTime: items.at(-1)?.lastModifiedDateTime ?? new Date(created).toISOString(),
    items,
  };
}

/** The tenant's sites on `hostname` (`contoso.sharepoint.com`), dated before `historyEnd(seedDay)`. */
export function seedSites(tenantId: string, hostname: string, seedDay: number): SitesStore {
  const today = historyEnd(seedDay);
  const sites = SITES.map((spec): SiteRecord => {
    const seed = `${tenantId}:${spec.name}`;
    const created = today - 500 * DAY_MS;
    const webUrl = `https://${hostname}/sites/${spec.name}`;
    const library = seedLibrary(tenantId, hostname, spec, webUrl, created, today);
    const documents: ListRecord = {
      id: seededId(`library-list:${seed}`),
      name: "Shared Documents",
      displayName: "Documents",
      description: "",
      template: "documentLibrary",
      createdDateTime: library.createdDateTime,
      lastModifiedDateTime: library.createdDateTime,
      items: [],
    };
    return {
      id: `${hostname},${seededId(`site:${seed}`)},${seededId(`web:${seed}`)}`,
      name: spec.name,
      displayName: spec.displayName,
      description: spec.description,
      webUrl,
      createdDateTime: new Date(created).toISOString(),
      lastModifiedDateTime: new Date(today - DAY_MS).toISOString(),
      library,
      lists: [documents, seedList(seed, spec, created, today)],
    };
  });
  return { hostname, sites, followed: new Map() };
}
