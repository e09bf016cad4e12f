import type { EmulatedUser } from "../../state";
import { historyEnd } from "../day";
import { opaqueId, pick, seededRandom } from "../random";
import { changeKey, type ContactEmail, type ContactRecord, type ContactsStore, isoSeconds } from "./model";
import { DAY_MS } from "../timezones";

/**
 * @module
 * A user's seeded Outlook contacts: about thirty invented people at invented
 * companies, the same for the same user every time.
 */
const GIVEN = [
  "Ines",
  "Tobias",
  "Marguerite",
  "Kofi",
  "Yuki",
  "Dario",
  "Halina",
  "Emeka",
  "Saoirse",
  "Rafael",
  "Wren",
  "Anjali",
  "Bastien",
  "Lior",
  "Nadia",
  "Oskar",
  "Priya",
  "Quentin",
  "Rosalind",
  "Tariq",
  "Ulla",
  "Vikram",
  "Zofia",
  "Matteo",
  "Leilani",
  "Caspian",
  "Thandiwe",
  "Jarrah",
  "Elif",
  "Soren",
];
const SURNAMES = [
  "Varga",
  "Okonkwo",
  "Lindahl",
  "Mbeki",
  "Castellano",
  "Ferreira",
  "Nakamura",
  "Haddad",
  "Kowalczyk",
  "Brennan",
  "Aaltonen",
  "Delacroix",
  "Ramaswamy",
  "Oyelaran",
  "Sundberg",
  "Quiroga",
  "Tanaka-Hale",
  "Whitcombe",
  "Petrovic",
  "Achterberg",
];
const COMPANIES = [
  { name: "Bramblewood Analytics", domain: "bramblewood" },
  { name: "Kestrel Freight", domain: "kestrelfreight" },
  { name: "Lumen & Oak Studio", domain: "lumenoak" },
  { name: "Quillfeather Press", domain: "quillfeather" },
  { name: "Tidewater Robotics", domain: "tidewater-robotics" },
  { name: "Copperline Energy", domain: "copperline" },
  { name: "Saltmarsh Legal", domain: "saltmarshlegal" },
  { name: "Hollowpine Outfitters", domain: "hollowpine" },
  { name: "Ninefold Security", domain: "ninefold" },
  { name: "Driftglass Media", domain: "driftglass" },
];
const ROLES = [
  { jobTitle: "Account Executive", department: "Sales" },
  { jobTitle: "Procurement Lead", department: "Operations" },
  { jobTitle: "Staff Engineer", department: "Engineering" },
  { jobTitle: "Head of Design", department: "Design" },
  { jobTitle: "Paralegal", department: "Legal" },
  { jobTitle: "Finance Controller", department: "Finance" },
  { jobTitle: "Customer Success Manager", department: "Customer Success" },
  { jobTitle: "Logistics Coordinator", department: "Operations" },
  { jobTitle: "Product Manager", department: "Product" },
];
const NOTES = [
  "",
  "",
  "Met at the regional supply-chain meetup; prefers calls before 10am.",
  "Renewal conversation due next quarter.",
  "Introduced by the design team. Vegetarian — remember for lunches.",
  "Handles invoicing questions; cc accounts payable.",
  "Speaks Portuguese and Spanish.",
  "Former colleague; happy to be a reference.",
];
const CATEGORIES = ["Vendors", "Customers", "Partners", "Personal"];

function phone(random: () => number): string {
  return `+1 555 01${String(Math.floor(random() * 100)).padStart(2, "0")}`;
}

/** Contacts created and modified before `historyEnd(seedDay)`; draws keyed by the owner's oid. */
export function seedContacts(tenantId: string, user: EmulatedUser, seedDay: number): ContactsStore {
  const random = seededRandom(`contacts:${user.oid}`);
  const folderId = opaqueId(`contacts-folder:${tenantId}:${user.oid}`);
  const contacts = new Map<string, ContactRecord>();
  const today = historyEnd(seedDay);
  const used = new Set<string>();
  for (let i = 0; i < 30; i++) {
    let givenName = pick(random, GIVEN);
    let surname = pick(random, SURNAMES);
    while (used.has(`${givenName} ${surname}`)) {
      givenName = pick(random, GIVEN);
      surname = pick(random, SURNAMES);
    }
    used.add(`${givenName} ${surname}`);
    const company = pick(random, COMPANIES);
    const role = pick(random, ROLES);
    const created = today - Math.floor(random() * 400 * DAY_MS);
    const modified = Math.min(today, created + Math.floor(random() * 60 * DAY_MS));
    const id = opaqueId(`contact:${tenantId}:${user.oid}:${i}`);
    const address = `${givenName}.${surname}`.toLowerCase().replace(/[^a-z.]/g, "") + `@${company.domain}.example`;
    const emails: ContactEmail[] = [{ name: `${givenName} ${surname}`, address }];
    if (random() < 0.2) emails.push({ name: `${givenName} ${surname}`, address: `${givenName.toLowerCase()}.${i}@mailbox.example` });
    contacts.set(id, {
      id,
      createdDateTime: isoSeconds(created),
      lastModifiedDateTime: isoSeconds(modified),
      changeKey: changeKey(id),
      categories: random() < 0.4 ? [pick(random, CATEGORIES)] : [],
      parentFolderId: folderId,
      birthday: null,
      fileAs: "",
      displayName: `${givenName} ${surname}`,
      givenName,
      middleName: null,
      nickName: null,
      surname,
      title: null,
      initials: null,
      jobTitle: role.jobTitle,
      companyName: company.name,
      department: role.department,
      officeLocation: null,
      businessHomePage: null,
      imAddresses: [],
      homePhones: [],
      mobilePhone: random() < 0.6 ? phone(random) : null,
      businessPhones: random() < 0.8 ? [phone(random)] : [],
      personalNotes: pick(random, NOTES),
      emailAddresses: emails,
    });
  }
  return { folderId, contacts };
}
