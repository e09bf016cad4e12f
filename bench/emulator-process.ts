import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The emulator child process (bench/emulator-child.ts) seen from the bench. */
export interface EmulatorProcess {
  url: string;
  pid: number;
  /** The child's `process.memoryUsage()`, after a full GC if asked. */
  memory(afterGc?: boolean): Promise<NodeJS.MemoryUsage>;
  close(): Promise<void>;
}

interface ChildMessage {
  type: "ready" | "memory";
  url?: string;
  memory?: NodeJS.MemoryUsage;
}

export async function startEmulatorProcess(): Promise<EmulatorProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL("./emulator-child.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx", "--expose-gc"],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the emulator process did not start within 30 s")), 30_000);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the emulator process exited early (${code})`)));
    child.on("message", (message: ChildMessage) => {
      if (message.type !== "ready" || !message.url) return;
      clearTimeout(timer);
      resolve(message.url);
    });
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    url,
    pid: child.pid ?? 0,
    memory: (afterGc = false) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("the emulator did not report its memory")), 10_000);
        const onMessage = (message: ChildMessage) => {
          if (message.type !== "memory" || !message.memory) return;
          clearTimeout(timer);
          child.off("message", onMessage);
          resolve(message.memory);
        };
        child.on("message", onMessage);
        child.send(afterGc ? "memory-after-gc" : "memory");
      }),
    async close() {
      if (child.exitCode === null && child.connected) child.send("close");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
