import { Hono } from "hono";
import type { GraphEnv } from "../../context";
import { scopes } from "../auth";
import { selectFields } from "../odata";

/**
 * @module
 * /me and /me/mailboxSettings: the signed-in user's profile.
 */
const PROFILE_SCOPES = ["User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All"];

export const meRoutes = new Hono<GraphEnv>()
  .get("/me", scopes(...PROFILE_SCOPES), (c) => {
    const { user } = c.get("caller");
    const [givenName = user.displayName, ...rest] = user.displayName.split(" ");
    const profile = {
      "@odata.context": `${new URL(c.req.url).origin}/v1.0/$metadata#users/$entity`,
      id: user.oid,
      displayName: user.displayName,
      givenName,
      surname: rest.join(" ") || null,
      userPrincipalName: user.userPrincipalName,
      mail: user.mail,
      jobTitle: user.jobTitle ?? null,
      officeLocation: null,
      mobilePhone: null,
      businessPhones: [],
      preferredLanguage: "en-US",
    };
    return c.json(selectFields(profile, c.req.query("$select")));
  })
  .get("/me/mailboxSettings", scopes("MailboxSettings.Read", "MailboxSettings.ReadWrite"), (c) =>
    c.json({
      timeZone: c.get("caller").user.timeZone ?? "UTC",
      dateFormat: "yyyy-MM-dd",
      timeFormat: "HH:mm",
      language: { locale: "en-US", displayName: "English (United States)" },
      workingHours: {
        daysOfWeek: ["monday", "tuesday", "wednesday", "thursday", "friday"],
        startTime: "09:00:00.0000000",
        endTime: "17:00:00.0000000",
        timeZone: { name: c.get("caller").user.timeZone ?? "UTC" },
      },
    }),
  );
