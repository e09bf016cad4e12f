/** @module Recipients in Graph's shape, and their compact text form. */

export interface EmailAddress {
  name?: string;
  address?: string;
}

export interface Recipient {
  emailAddress?: EmailAddress;
}

export function formatAddress(address: EmailAddress | undefined): string {
  if (!address) return "";
  const name = address.name?.trim();
  const email = address.address?.trim();
  if (name && email && name.toLowerCase() !== email.toLowerCase()) return `${name} <${email}>`;
  return email || name || "";
}

export function formatRecipients(recipients: Recipient[] | undefined): string {
  return (recipients ?? [])
    .map((r) => formatAddress(r.emailAddress))
    .filter(Boolean)
    .join(", ");
}

/** `["a@x.com", "Name <b@y.com>"]` → Graph recipients. */
export function toRecipients(addresses: readonly string[] | undefined): Recipient[] {
  return (addresses ?? []).map((entry) => {
    const match = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(entry);
    return match ? { emailAddress: { name: match[1] || undefined, address: match[2] } } : { emailAddress: { address: entry.trim() } };
  });
}
