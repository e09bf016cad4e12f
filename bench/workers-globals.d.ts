/**
 * The Workers runtime types that src/audit/record.ts names, for the
 * Node-side bench that runs the recorder (bench/audit-record-cost.ts):
 * tsconfig.node.json has Node's types, not the Workers runtime's.
 */
interface MessageSendRequest<Body = unknown> {
  body: Body;
  contentType?: string;
}
interface Queue<Body = unknown> {
  send(body: Body, options?: { contentType?: string }): Promise<void>;
  sendBatch(messages: Iterable<MessageSendRequest<Body>>): Promise<void>;
}
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}
