import { auditObjectKey } from "../tenancy/audit-names";

/**
 * @module One stored object of the audit trail, built from rows of a tenant's
 * log: the contract between the writer (`tenant-log.ts`) and every reader.
 *
 * Key `audit/v1/<tenantId>/<YYYY-MM-DD>/<HH>/<firstSeq>-<lastSeq>.ndjson.gz`
 * (see `auditObjectKey`); body: gzip of NDJSON, one `AuditEvent` per line in
 * ascending sequence, each line ending in `\n`; custom metadata `count` (lines),
 * `first` and `last` (the earliest and latest event `time` inside, which a
 * reader can use to skip an object without opening it).
 *
 * Built only from its rows, so the same rows always make the same key and
 * the same bytes: a flush cut short after the R2 put and repeated later
 * rewrites the object identically instead of storing any event twice.
 */

/** A row of the tenant log's `pending` table: one event, as JSON, with its sequence number and time. */
export type PendingRow = {
  seq: number;
  time: string;
  json: string;
};

export interface TrailObject {
  key: string;
  body: Uint8Array;
  metadata: { count: string; first: string; last: string };
}

/** gzip (RFC 1952) of the text, by the runtime's CompressionStream. */
async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The object holding these rows of one UTC hour (`YYYY-MM-DDTHH`); the rows are sorted here, so callers need not. */
export async function encodeTrailObject(tenantId: string, hour: string, rows: readonly PendingRow[]): Promise<TrailObject> {
  if (rows.length === 0) throw new Error("an audit object needs at least one event");
  const sorted = [...rows].sort((a, b) => a.seq - b.seq);
  const times = sorted.map((row) => row.time).sort();
  const first = sorted[0];
  const last = sorted.at(-1);
  if (!first || !last) throw new Error("an audit object needs at least one event");
  return {
    key: auditObjectKey(tenantId, hour, first.seq, last.seq),
    body: await gzip(sorted.map((row) => `${row.json}\n`).join("")),
    metadata: { count: String(sorted.length), first: times[0] ?? first.time, last: times.at(-1) ?? last.time },
  };
}

/** The events of a stored object's body, one parsed JSON value per line (for readers and tests). */
export async function decodeTrailObject(body: ReadableStream<Uint8Array> | ArrayBuffer | Uint8Array): Promise<unknown[]> {
  const source = body instanceof ReadableStream ? body : new Blob([body]).stream();
  const text = await new Response(source.pipeThrough(new DecompressionStream("gzip"))).text();
  return text
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line): unknown => JSON.parse(line));
}
