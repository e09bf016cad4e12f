import { opaqueId } from "../random";

/**
 * @module
 * A user's Outlook contacts as stored: the record is the wire shape of
 * Graph's `contact` resource (without `@odata.etag`).
 */
export interface ContactEmail {
  name: string;
  address: string;
}

export interface ContactRecord {
  id: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  changeKey: string;
  categories: string[];
  parentFolderId: string;
  birthday: string | null;
  fileAs: string;
  displayName: string;
  givenName: string | null;
  middleName: string | null;
  nickName: string | null;
  surname: string | null;
  title: string | null;
  initials: string | null;
  jobTitle: string | null;
  companyName: string | null;
  department: string | null;
  officeLocation: string | null;
  businessHomePage: string | null;
  imAddresses: string[];
  homePhones: string[];
  mobilePhone: string | null;
  businessPhones: string[];
  personalNotes: string;
  emailAddresses: ContactEmail[];
}

export interface ContactsStore {
  folderId: string;
  contacts: Map<string, ContactRecord>;
}

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function changeKey(seed: string): string {
  return `EQAAABYAAA${opaqueId(`ck:${seed}`).slice(4, 30)}`;
}

/** Text `$search` matches: names, company and every e-mail address. */
export function contactSearchText(contact: ContactRecord): string {
  return [contact.displayName, contact.givenName, contact.surname, contact.companyName, ...contact.emailAddresses.map((e) => e.address)]
    .filter(Boolean)
    .join(" ");
}

export function presentContact(contact: ContactRecord): Record<string, unknown> {
  return { "@odata.etag": `W/"${contact.changeKey}"`, ...contact };
}
