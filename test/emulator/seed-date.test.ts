import { describe, expect, it } from "vitest";
import { historyEnd, parseSeedDate } from "../../emulator/graph/day";
import { emulator, graph, graphToken, newEntraTenant } from "../helpers/emulator";
import { addDays, daysFromToday, SEED_DATE, SEED_DAY_MS, seedInstant } from "../helpers/seed-date";

/** The emulator's seed date: where seeded content lies, and that a fixed oid gets the same content anywhere. */
interface Listed {
  value: { id: string; subject: string; displayName?: string; type?: string; receivedDateTime?: string; start?: { dateTime: string } }[];
}

const DAY_MS = 86_400_000;

async function listed(token: string, path: string): Promise<Listed> {
  const response = await graph(token, path);
  expect(response.status, path).toBe(200);
  return (await response.json()) as Listed;
}

async function seededUser(scopes: string[]) {
  const { tenantId, users } = await newEntraTenant();
  return { tenantId, token: await graphToken(tenantId, users[0].oid, scopes) };
}

describe("the emulator's seed date", () => {
  it("is served by the control API, as the tests were given it", async () => {
    expect(await emulator.seed()).toEqual({ seedDate: SEED_DATE });
    expect(SEED_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("accepts only real calendar dates written YYYY-MM-DD", () => {
    expect(parseSeedDate(SEED_DATE)).toBe(SEED_DAY_MS);
    const year = SEED_DATE.slice(0, 4);
    for (const bad of [`${year}-02-30`, `${year}-13-01`, `${year}-1-05`, `${SEED_DATE}T00:00:00Z`, "today", ""]) {
      expect(parseSeedDate(bad), bad).toBeUndefined();
    }
  });

  it("ends seeded history at the seed date, or today if that is earlier", () => {
    const now = Date.parse(`${daysFromToday(0)}T15:30:00Z`);
    const today = Date.parse(`${daysFromToday(0)}T00:00:00Z`);
    expect(historyEnd(today + 400 * DAY_MS, now)).toBe(today);
    expect(historyEnd(today - 100 * DAY_MS, now)).toBe(today - 100 * DAY_MS);
    expect(historyEnd(today, now)).toBe(today);
  });

  it("lays seeded events around the seed date", async () => {
    const { token } = await seededUser(["Calendars.Read"]);
    const window = `startDateTime=${seedInstant(-31)}&endDateTime=${seedInstant(32)}`;
    const inWindow = await listed(token, `/me/calendarView?${window}&$top=1000&$select=subject,start`);
    const singles = (await listed(token, "/me/events?$top=1000")).value.filter((event) => event.type === "singleInstance");
    expect(singles.length).toBeGreaterThan(40);
    for (const event of singles) {
      const day = event.start?.dateTime.slice(0, 10) ?? "";
      expect(day >= addDays(SEED_DATE, -31) && day <= addDays(SEED_DATE, 31), `${event.subject} on ${day}`).toBe(true);
    }
    expect(inWindow.value.length).toBeGreaterThan(singles.length);
  });

  it("never dates seeded mail after the real clock or the seed date", async () => {
    const { token } = await seededUser(["Mail.Read"]);
    const all = (await listed(token, "/me/messages?$top=1000&$select=receivedDateTime")).value;
    const received = Math.max(...all.map((message) => Date.parse(message.receivedDateTime ?? "")));
    const end = Math.min(SEED_DAY_MS, Date.parse(`${daysFromToday(0)}T00:00:00Z`));
    expect(received).toBeLessThan(end);
    expect(received).toBeGreaterThan(end - 7 * DAY_MS);
  });

  it("gives a fixed oid the same mailbox, calendar and people in every tenant, under ids of that tenant", async () => {
    const scopes = ["Mail.Read", "Calendars.Read", "People.Read"];
    const [a, b] = [await seededUser(scopes), await seededUser(scopes)];
    const mail = async (token: string) => (await listed(token, "/me/messages?$top=50&$select=subject,receivedDateTime")).value;
    const events = async (token: string) => (await listed(token, "/me/events?$top=100&$select=subject,start")).value;
    const [mailA, mailB, eventsA, eventsB] = [await mail(a.token), await mail(b.token), await events(a.token), await events(b.token)];
    const shape = (items: Listed["value"]) => items.map((item) => [item.subject, item.receivedDateTime ?? item.start?.dateTime]);
    expect(shape(mailB)).toEqual(shape(mailA));
    expect(shape(eventsB)).toEqual(shape(eventsA));
    const people = async (token: string) =>
      (await listed(token, "/me/people?$top=100&$select=displayName")).value.map((person) => person.displayName);
    expect(await people(b.token)).toEqual(await people(a.token));
    const idsOfA = new Set([...mailA, ...eventsA].map((item) => item.id));
    expect([...mailB, ...eventsB].some((item) => idsOfA.has(item.id))).toBe(false);
    const foreign = await graph(b.token, `/me/messages/${encodeURIComponent(mailA[0]?.id ?? "")}`);
    expect(foreign.status).toBe(404);
  });
});
