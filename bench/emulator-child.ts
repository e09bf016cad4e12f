/**
 * The Microsoft 365 emulator in a process of its own for the load benchmarks,
 * so the load generator and the emulator do not share one event loop. The
 * parent asks for `process.memoryUsage()` over IPC, optionally right after
 * a full garbage collection (the child runs with --expose-gc), so start and
 * end figures compare live data rather than GC timing.
 */
import { startEmulator } from "../emulator/node-server";

const emulator = await startEmulator();
process.on("message", (message: unknown) => {
  if (message === "memory-after-gc") globalThis.gc?.();
  if (message === "memory" || message === "memory-after-gc") process.send?.({ type: "memory", memory: process.memoryUsage() });
  if (message === "close") void emulator.close().then(() => process.exit(0));
});
process.on("disconnect", () => process.exit(0));
process.send?.({ type: "ready", url: emulator.url });
