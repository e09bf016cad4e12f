import { expectOk, READ, defineTool } from "./types";

/** @module Who the user is: the smallest useful tool, and the `profile` resource's source. */

interface Me {
  displayName?: string;
  userPrincipalName?: string;
  mail?: string | null;
  jobTitle?: string | null;
  officeLocation?: string | null;
}

export const PROFILE_SELECT = "displayName,userPrincipalName,mail,jobTitle,officeLocation";

export function formatProfile(me: Me, timeZone: string): string {
  return [
    `Name: ${me.displayName ?? ""}`,
    `Account: ${me.userPrincipalName ?? ""}`,
    me.mail ? `Email: ${me.mail}` : undefined,
    me.jobTitle ? `Title: ${me.jobTitle}` : undefined,
    me.officeLocation ? `Office: ${me.officeLocation}` : undefined,
    `Time zone: ${timeZone}`,
  ]
    .filter(Boolean)
    .join("\n");
}

export const profileTools = [
  defineTool({
    name: "whoami",
    group: "profile",
    description: "Your Microsoft 365 identity: name, account, email, job title and time zone.",
    input: {},
    scopes: ["User.Read"],
    annotations: READ,
    audit: {},
    async run(ctx) {
      const me = expectOk<Me>(await ctx.graph({ method: "GET", path: "/me", query: { $select: PROFILE_SELECT } }), "read your profile");
      return formatProfile(me, await ctx.timeZone());
    },
  }),
];
