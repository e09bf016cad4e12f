import type { LoopbackHttp } from "./http";
import type { BenchTenant, BenchUser, SignIn } from "./sign-in";

/**
 * The soak's read-back: every user's Sent Items, Inbox and calendar straight
 * from the emulator (minted Graph tokens, all pages), reconciled with every
 * write the soak sent and what the gateway answered for it.
 */
export interface SoakUser {
  tenant: BenchTenant;
  user: BenchUser;
  colleague: BenchUser;
  accessToken: string;
  mcpUrl: string;
}

export interface WriteRecord {
  kind: "mail" | "event";
  tenant: BenchTenant;
  owner: BenchUser;
  /** Mail only: the colleague whose inbox gets a copy. */
  recipient?: BenchUser;
  subject: string;
  outcome: "acked" | "failed" | "unknown";
  attempts: number;
}

/** Runs `run` over `items`, at most `concurrency` at a time. */
export async function inBatches<T, R>(items: T[], concurrency: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = Array.from<R>({ length: items.length });
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next;
        next += 1;
        results[index] = await run(items[index] as T);
      }
    }),
  );
  return results;
}

export interface Verification {
  acked: number;
  lost: number;
  duplicated: number;
  failedButPresent: number;
  stray: number;
  crossTenant: number;
  mailboxesRead: number;
  byKind: Record<WriteRecord["kind"], { acked: number; failed: number; unknown: number }>;
}

const SOAK_SUBJECT = /^\[(zq[0-9a-f]{8})\] soak (mail|event) /;

/** Reads every user's Sent Items, Inbox and calendar from the emulator and reconciles them with what the soak sent. */
export async function verifyWrites(
  options: { http: LoopbackHttp; signIn: SignIn; emulatorUrl: string },
  users: SoakUser[],
  writes: WriteRecord[],
  markers: string[],
): Promise<Verification> {
  const { http, signIn } = options;
  const found = new Map<string, Map<string, number>>();
  const place = (user: BenchUser, box: string) => `${user.oid}|${box}`;
  const readAll = async (token: string, path: string): Promise<string[]> => {
    const subjects: string[] = [];
    let url: string | undefined = `${options.emulatorUrl}/v1.0${path}`;
    for (let page = 0; url && page < 50; page += 1) {
      const response = await http.fetch(url, { headers: { authorization: `Bearer ${token}` } });
      if (response.status !== 200) throw new Error(`read-back ${path}: ${response.status} ${response.text.slice(0, 200)}`);
      const body = JSON.parse(response.text) as { value: { subject?: string }[]; "@odata.nextLink"?: string };
      subjects.push(...body.value.map((item) => item.subject ?? ""));
      url = body["@odata.nextLink"];
    }
    return subjects;
  };
  let crossTenant = 0;
  await inBatches(users, 8, async (u) => {
    const token = await signIn.graphToken(u.tenant, u.user, ["Mail.Read", "Calendars.Read"]);
    const boxes = {
      sent: await readAll(token, "/me/mailFolders/sentitems/messages?$select=subject&$top=1000"),
      inbox: await readAll(token, "/me/mailFolders/inbox/messages?$select=subject&$top=1000"),
      calendar: await readAll(token, "/me/events?$select=subject&$top=1000"),
    };
    for (const [box, subjects] of Object.entries(boxes)) {
      const counts = new Map<string, number>();
      for (const subject of subjects) {
        const match = SOAK_SUBJECT.exec(subject);
        if (!match) continue;
        if (match[1] !== u.tenant.marker && markers.includes(match[1] ?? "")) crossTenant += 1;
        counts.set(subject, (counts.get(subject) ?? 0) + 1);
      }
      found.set(place(u.user, box), counts);
    }
  });

  const expected = new Set<string>();
  const result: Verification = {
    acked: 0,
    lost: 0,
    duplicated: 0,
    failedButPresent: 0,
    stray: 0,
    crossTenant,
    mailboxesRead: users.length,
    byKind: { mail: { acked: 0, failed: 0, unknown: 0 }, event: { acked: 0, failed: 0, unknown: 0 } },
  };
  for (const record of writes) {
    result.byKind[record.kind][record.outcome] += 1;
    if (record.outcome === "acked") result.acked += 1;
    const places =
      record.kind === "mail"
        ? [place(record.owner, "sent"), ...(record.recipient ? [place(record.recipient, "inbox")] : [])]
        : [place(record.owner, "calendar")];
    for (const where of places) {
      expected.add(`${where}|${record.subject}`);
      const count = found.get(where)?.get(record.subject) ?? 0;
      if (record.outcome === "acked" && count === 0) result.lost += 1;
      if (count > 1) result.duplicated += 1;
      if (record.outcome === "failed" && count > 0) result.failedButPresent += 1;
    }
  }
  for (const [where, counts] of found) {
    for (const subject of counts.keys()) if (!expected.has(`${where}|${subject}`)) result.stray += 1;
  }
  return result;
}
