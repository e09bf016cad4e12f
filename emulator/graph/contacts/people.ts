import type { EmulatedTenant, EmulatedUser } from "../../state";
import { seededId, seededRandom } from "../random";
import type { ContactRecord } from "./model";

/**
 * @module
 * The directory's `user` resource and the People API's ranking (`/me/people`),
 * derived from the tenant's users and the caller's contacts. Pure functions:
 * no storage.
 */
export function splitName(displayName: string): { givenName: string; surname: string | null } {
  const [givenName = displayName, ...rest] = displayName.split(" ");
  return { givenName, surname: rest.join(" ") || null };
}

/** Graph's `user` resource with its default property set. */
export function userResource(user: EmulatedUser): Record<string, unknown> {
  return {
    id: user.oid,
    businessPhones: [],
    displayName: user.displayName,
    ...splitName(user.displayName),
    jobTitle: user.jobTitle ?? null,
    mail: user.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: "en-US",
    userPrincipalName: user.userPrincipalName,
  };
}

export interface PersonRecord {
  id: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  birthday: string;
  personNotes: string;
  isFavorite: boolean;
  jobTitle: string | null;
  companyName: string | null;
  yomiCompany: string;
  department: string | null;
  officeLocation: string | null;
  profession: string;
  userPrincipalName: string;
  imAddress: string | null;
  scoredEmailAddresses: { address: string; relevanceScore: number; selectionLikelihood: string }[];
  phones: { type: string; number: string }[];
  postalAddresses: unknown[];
  websites: unknown[];
  personType: { class: string; subclass: string };
}

const FREQUENT_CONTACTS = 15;

function score(caller: EmulatedUser, id: string, low: number, high: number): number {
  return Math.round((low + seededRandom(`people:${caller.oid}:${id}`)() * (high - low)) * 10) / 10;
}

/** People relevant to the caller, most relevant first: colleagues, then frequent contacts. */
export function peopleFor(tenant: EmulatedTenant, caller: EmulatedUser, contacts: Iterable<ContactRecord>): PersonRecord[] {
  const colleagues = [...tenant.users.values()]
    .filter((user) => user.oid !== caller.oid)
    .map((user): PersonRecord => {
      const relevance = score(caller, user.oid, 12, 30);
      return {
        id: user.oid,
        displayName: user.displayName,
        ...splitName(user.displayName),
        birthday: "",
        personNotes: "",
        isFavorite: false,
        jobTitle: user.jobTitle ?? null,
        companyName: tenant.displayName,
        yomiCompany: "",
        department: null,
        officeLocation: null,
        profession: "",
        userPrincipalName: user.userPrincipalName,
        imAddress: `sip:${user.userPrincipalName}`,
        scoredEmailAddresses: [{ address: user.mail, relevanceScore: relevance, selectionLikelihood: "notSpecified" }],
        phones: [],
        postalAddresses: [],
        websites: [],
        personType: { class: "Person", subclass: "OrganizationUser" },
      };
    });
  const frequent = [...contacts]
    .filter((contact) => contact.emailAddresses.length > 0)
    .map((contact): PersonRecord => {
      // Keyed by address, not id (which names the tenant), so a fixed oid ranks its contacts alike in every tenant.
      const relevance = score(caller, contact.emailAddresses[0]?.address ?? contact.id, 1, 12);
      return {
        id: seededId(`person:${contact.id}`),
        displayName: contact.displayName,
        givenName: contact.givenName,
        surname: contact.surname,
        birthday: "",
        personNotes: "",
        isFavorite: false,
        jobTitle: contact.jobTitle,
        companyName: contact.companyName,
        yomiCompany: "",
        department: contact.department,
        officeLocation: contact.officeLocation,
        profession: "",
        userPrincipalName: "",
        imAddress: null,
        scoredEmailAddresses: contact.emailAddresses.map((email, index) => ({
          address: email.address,
          relevanceScore: Math.max(1, relevance - index * 2),
          selectionLikelihood: "notSpecified",
        })),
        phones: [
          ...contact.businessPhones.map((number) => ({ type: "business", number })),
          ...(contact.mobilePhone ? [{ type: "mobile", number: contact.mobilePhone }] : []),
        ],
        postalAddresses: [],
        websites: [],
        personType: { class: "Person", subclass: "PersonalContact" },
      };
    })
    .sort((a, b) => topScore(b) - topScore(a))
    .slice(0, FREQUENT_CONTACTS);
  return [...colleagues, ...frequent].sort((a, b) => topScore(b) - topScore(a));
}

export function topScore(person: PersonRecord): number {
  return person.scoredEmailAddresses[0]?.relevanceScore ?? 0;
}
