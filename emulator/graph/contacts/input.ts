import { z } from "zod";

/**
 * @module
 * Request bodies of the contacts endpoints, as zod schemas: unknown
 * properties are refused, as Graph refuses them.
 */
const text = z.string().max(4000);
export const ContactInput = z.strictObject({
  displayName: text.optional(),
  givenName: text.nullable().optional(),
  middleName: text.nullable().optional(),
  nickName: text.nullable().optional(),
  surname: text.nullable().optional(),
  title: text.nullable().optional(),
  initials: text.nullable().optional(),
  fileAs: text.optional(),
  jobTitle: text.nullable().optional(),
  companyName: text.nullable().optional(),
  department: text.nullable().optional(),
  officeLocation: text.nullable().optional(),
  businessHomePage: text.nullable().optional(),
  birthday: z.iso.datetime({ offset: true }).nullable().optional(),
  mobilePhone: text.nullable().optional(),
  businessPhones: z.array(text).max(10).optional(),
  homePhones: z.array(text).max(10).optional(),
  imAddresses: z.array(text).max(10).optional(),
  personalNotes: z.string().max(32_000).optional(),
  categories: z.array(text).max(50).optional(),
  emailAddresses: z
    .array(z.strictObject({ name: text.optional(), address: text.min(1) }))
    .max(3)
    .optional(),
});
export type ContactPatch = z.infer<typeof ContactInput>;
