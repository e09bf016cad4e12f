import { createServer, type Server } from "node:http";
import { getEncoding } from "js-tiktoken";
import type { Figure, Section, TargetCheck } from "./results";

/**
 * The Node side of the workerd benchmarks (bench/*.bench.test.ts): they run
 * inside workerd like the tests and post their measurements here; this side
 * counts tokens with the cl100k tokenizer and keeps what was posted until
 * the run ends.
 */
export type PostedSection = Section & { figures?: Figure[]; targets?: TargetCheck[] };

const encoder = getEncoding("cl100k_base");

export function countTokens(text: string): number {
  return encoder.encode(text).length;
}

export async function startCollector(): Promise<{ url: string; sections: Map<string, PostedSection>; close(): Promise<void> }> {
  const sections = new Map<string, PostedSection>();
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      const reply = (status: number, value: unknown) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(value));
      };
      try {
        const input = JSON.parse(body) as Record<string, unknown>;
        if (request.url === "/tokens") {
          const texts = input.texts as Record<string, string>;
          return reply(200, Object.fromEntries(Object.entries(texts).map(([key, text]) => [key, countTokens(text)])));
        }
        if (request.url === "/section") {
          const section = input as unknown as PostedSection;
          sections.set(section.id, section);
          return reply(204, {});
        }
        reply(404, { error: "unknown" });
      } catch (error) {
        reply(400, { error: String(error) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, sections, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
