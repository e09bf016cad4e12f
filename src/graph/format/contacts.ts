/**
 * @module One line per contact, person or directory user: the fields a model needs
 * to address someone (name, emails, phones, role), the contact id last so
 * update_contact can follow.
 */

export interface Contact {
  id: string;
  displayName?: string | null;
  givenName?: string | null;
  surname?: string | null;
  emailAddresses?: { name?: string; address?: string }[];
  mobilePhone?: string | null;
  businessPhones?: string[];
  companyName?: string | null;
  jobTitle?: string | null;
}

export const CONTACT_SELECT = "displayName,emailAddresses,mobilePhone,businessPhones,companyName,jobTitle";

export interface Person {
  displayName?: string | null;
  scoredEmailAddresses?: { address?: string }[];
  jobTitle?: string | null;
  companyName?: string | null;
}

export const PERSON_SELECT = "displayName,scoredEmailAddresses,jobTitle,companyName";

export interface DirectoryUser {
  id?: string;
  displayName?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
  jobTitle?: string | null;
}

export const USER_SELECT = "id,displayName,mail,userPrincipalName,jobTitle";

const joined = (parts: (string | null | undefined)[]) => parts.filter(Boolean).join(" · ");
const role = (jobTitle?: string | null, company?: string | null) => [jobTitle, company].filter(Boolean).join(", ");

export function contactLine(contact: Contact): string {
  const emails = (contact.emailAddresses ?? [])
    .map((email) => email.address)
    .filter(Boolean)
    .join(", ");
  return joined([
    contact.displayName || [contact.givenName, contact.surname].filter(Boolean).join(" ") || "(no name)",
    emails,
    role(contact.jobTitle, contact.companyName),
    contact.mobilePhone ? `mobile ${contact.mobilePhone}` : undefined,
    ...(contact.businessPhones ?? []).map((phone) => `work ${phone}`),
    `id: ${contact.id}`,
  ]);
}

export function personLine(person: Person): string {
  const emails = (person.scoredEmailAddresses ?? [])
    .map((email) => email.address)
    .filter(Boolean)
    .join(", ");
  return joined([person.displayName || "(no name)", emails, role(person.jobTitle, person.companyName)]);
}

export function userLine(user: DirectoryUser): string {
  const upn =
    user.userPrincipalName && user.userPrincipalName.toLowerCase() !== user.mail?.toLowerCase()
      ? `sign-in ${user.userPrincipalName}`
      : undefined;
  // The directory id is what chats, presence and other users' data take, so it saves a lookup.
  return joined([user.displayName || "(no name)", user.mail, upn, user.jobTitle, user.id ? `id: ${user.id}` : undefined]);
}
