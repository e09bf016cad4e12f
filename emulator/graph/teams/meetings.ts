import type { z } from "zod";
import type { EmulatedTenant, EmulatedUser } from "../../state";
import type { MeetingInput } from "./input";
import type { TeamsStore } from "./model";

/**
 * @module
 * POST /me/onlineMeetings: an onlineMeeting resource plus its meeting chat,
 * whose members are the organizer and every attendee who is a user of the
 * organizer's tenant (anyone else stays an external participant).
 */
function digits(count: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(count)), (byte) => String(byte % 10)).join("");
}

function token(length: number): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  return Array.from(crypto.getRandomValues(new Uint8Array(length)), (byte) => alphabet[byte % alphabet.length]).join("");
}

export function createMeeting(
  store: TeamsStore,
  tenant: EmulatedTenant,
  organizer: EmulatedUser,
  input: z.infer<typeof MeetingInput>,
): Record<string, unknown> {
  const now = new Date();
  const start = input.startDateTime ? new Date(input.startDateTime) : now;
  const end = input.endDateTime ? new Date(input.endDateTime) : new Date(start.getTime() + 3_600_000);
  const threadId = `19:meeting_${btoa(token(36)).replace(/=+$/, "")}@thread.v2`;
  const id = btoa(`1*${organizer.oid}*0**${threadId}`).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  const users = [...tenant.users.values()];
  const attendees = (input.participants?.attendees ?? []).map((attendee) => {
    const wanted = attendee.identity?.user?.id?.toLowerCase();
    const upn = attendee.upn?.toLowerCase();
    const user = users.find((candidate) => candidate.oid.toLowerCase() === wanted || candidate.userPrincipalName.toLowerCase() === upn);
    return {
      user,
      wire: {
        upn: user?.userPrincipalName ?? attendee.upn ?? null,
        role: attendee.role ?? "attendee",
        identity: {
          user: {
            id: user?.oid ?? attendee.identity?.user?.id ?? null,
            displayName: user?.displayName ?? attendee.identity?.user?.displayName ?? null,
            tenantId: user ? tenant.tenantId : null,
            identityProvider: "AAD",
          },
        },
      },
    };
  });
  const joinWebUrl = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(threadId)}/0?context=${encodeURIComponent(JSON.stringify({ Tid: tenant.tenantId, Oid: organizer.oid }))}`;
  const resource = {
    id,
    creationDateTime: now.toISOString(),
    startDateTime: start.toISOString(),
    endDateTime: end.toISOString(),
    joinUrl: joinWebUrl,
    joinWebUrl,
    meetingCode: digits(12),
    subject: input.subject ?? null,
    isBroadcast: false,
    autoAdmittedUsers: "everyoneInCompany",
    outerMeetingAutoAdmittedUsers: null,
    isEntryExitAnnounced: input.isEntryExitAnnounced ?? true,
    allowedPresenters: input.allowedPresenters ?? "everyone",
    allowMeetingChat: "enabled",
    allowTeamworkReactions: true,
    allowAttendeeToEnableMic: true,
    allowAttendeeToEnableCamera: true,
    recordAutomatically: false,
    videoTeleconferenceId: null,
    externalId: null,
    audioConferencing: null,
    broadcastSettings: null,
    joinMeetingIdSettings: { isPasscodeRequired: true, joinMeetingId: digits(12), passcode: token(6) },
    lobbyBypassSettings: {
      scope: input.lobbyBypassSettings?.scope ?? "organization",
      isDialInBypassEnabled: input.lobbyBypassSettings?.isDialInBypassEnabled ?? false,
    },
    joinInformation: {
      content: `data:text/html,${encodeURIComponent(`<p>Microsoft Teams meeting</p><p><a href="${joinWebUrl}">Join the meeting now</a></p>`)}`,
      contentType: "html",
    },
    chatInfo: { threadId, messageId: "0", replyChainMessageId: null },
    participants: {
      organizer: {
        upn: organizer.userPrincipalName,
        role: "presenter",
        identity: { user: { id: organizer.oid, displayName: null, tenantId: tenant.tenantId, identityProvider: "AAD" } },
      },
      attendees: attendees.map((attendee) => attendee.wire),
    },
  };
  const memberIds = new Set([organizer.oid, ...attendees.flatMap((attendee) => (attendee.user ? [attendee.user.oid] : []))]);
  store.chats.set(threadId, {
    id: threadId,
    topic: input.subject ?? null,
    chatType: "meeting",
    createdDateTime: now.toISOString(),
    lastUpdatedDateTime: now.toISOString(),
    includes: (_, oid) => memberIds.has(oid),
    minMembers: 1,
    onlineMeetingInfo: {
      calendarEventId: null,
      joinWebUrl,
      organizer: { id: organizer.oid, displayName: null, userIdentityType: "aadUser", tenantId: tenant.tenantId },
    },
  });
  store.threads.set(threadId, []);
  store.meetings.set(id, { organizerId: organizer.oid, resource });
  return resource;
}
