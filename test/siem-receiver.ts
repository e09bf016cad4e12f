import { serve } from "@hono/node-server";
import { Hono } from "hono";

/**
 * A stand-in for an organization's SIEM collector, over real HTTP, for the
 * audit stream's tests (started by the global setup) and for `npm run dev`
 * (started on port 8791, its origin allowed in the generated .dev.vars).
 * Each test uses its own inbox,
 * `POST /inbox/<name>`, and drives it through `/control/<name>`:
 * - `PUT { failTimes, status }`: answer the next `failTimes` deliveries with
 *   `status` (503 by default), then 200;
 * - `GET`: every attempt as received (headers, raw body, the status answered),
 *   and the batches kept, de-duplicated by `X-Audit-Batch-Id` as the README
 *   tells a receiver to do (a repeat is answered 200 and counted, not kept).
 * Alert notices arrive at the same inboxes (their `X-Notice-*` headers are
 * recorded in the same fields, and `X-Notice-Id` de-duplicates as the batch
 * id does).
 * It checks nothing else: the tests verify signatures with the docs example.
 */

interface Attempt {
  timestamp: string | null;
  signature: string | null;
  batchId: string | null;
  eventCount: string | null;
  contentType: string | null;
  body: string;
  answered: number;
}

interface Inbox {
  failTimes: number;
  failStatus: number;
  attempts: Attempt[];
  batches: Record<string, string>;
  duplicates: number;
}

export interface RunningReceiver {
  url: string;
  close(): Promise<void>;
}

function receiverApp() {
  const inboxes = new Map<string, Inbox>();
  const inbox = (name: string) => {
    let found = inboxes.get(name);
    if (!found) {
      found = { failTimes: 0, failStatus: 503, attempts: [], batches: {}, duplicates: 0 };
      inboxes.set(name, found);
    }
    return found;
  };
  return new Hono()
    .post("/inbox/:name", async (c) => {
      const box = inbox(c.req.param("name"));
      const body = await c.req.text();
      const batchId = c.req.header("x-audit-batch-id") ?? c.req.header("x-notice-id") ?? null;
      const answered = box.failTimes > 0 ? box.failStatus : 200;
      if (box.failTimes > 0) box.failTimes -= 1;
      box.attempts.push({
        timestamp: c.req.header("x-audit-timestamp") ?? c.req.header("x-notice-timestamp") ?? null,
        signature: c.req.header("x-audit-signature") ?? c.req.header("x-notice-signature") ?? null,
        batchId,
        eventCount: c.req.header("x-audit-event-count") ?? null,
        contentType: c.req.header("content-type") ?? null,
        body,
        answered,
      });
      if (answered !== 200) return c.text("unavailable", answered as 503);
      if (batchId !== null && Object.hasOwn(box.batches, batchId)) box.duplicates += 1;
      else if (batchId !== null) box.batches[batchId] = body;
      return c.text("ok");
    })
    .put("/control/:name", async (c) => {
      const input = (await c.req.json()) as { failTimes?: number; status?: number };
      const box = inbox(c.req.param("name"));
      box.failTimes = input.failTimes ?? 0;
      box.failStatus = input.status ?? 503;
      return c.json({ ok: true });
    })
    .get("/control/:name", (c) => c.json(inbox(c.req.param("name"))));
}

export async function startSiemReceiver(port = 0): Promise<RunningReceiver> {
  const app = receiverApp();
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, (info) => {
      resolve({ url: `http://127.0.0.1:${info.port}`, close: () => new Promise<void>((done) => server.close(() => done())) });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const receiver = await startSiemReceiver(Number(process.env.SIEM_RECEIVER_PORT ?? 8791));
  console.log(`SIEM receiver listening on ${receiver.url} (inboxes at /inbox/<name>)`);
}
