import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { wrangler } from "../../bench/gateway";
import { buildPdfReader } from "../../scripts/pdf-reader-bundle";

/**
 * PDF.js lives in the PDF reader Worker only: the gateway's deploy bundle
 * (`wrangler deploy --dry-run`, exactly what an upload would contain) must
 * not take unpdf or src/pdf-reader/ back in through some import. esbuild's
 * metafile lists every input of the bundle, so the check does not depend on
 * how minification spells PDF.js's code; its class names are checked too.
 */
const dir = mkdtempSync(join(tmpdir(), "gateway-bundle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Metafile {
  inputs: Record<string, unknown>;
}

describe("the deploy bundles", () => {
  it("keep PDF.js out of the gateway and in the PDF reader Worker", () => {
    const gateway = join(dir, "gateway");
    wrangler(["deploy", "--dry-run", "--outdir", gateway, "--metafile"]);
    const inputs = Object.keys((JSON.parse(readFileSync(join(gateway, "bundle-meta.json"), "utf8")) as Metafile).inputs);
    expect(inputs.some((input) => input.includes("src/agent/"))).toBe(true);
    expect(inputs.filter((input) => /node_modules\/unpdf\/|src\/pdf-reader\//.test(input))).toEqual([]);
    const code = readFileSync(join(gateway, "index.js"), "utf8");
    for (const marker of ["PDFDocumentProxy", "PasswordException", "getDocumentProxy"]) expect(code).not.toContain(marker);

    // The markers are PDF.js's own: the reader's bundle has them, so their absence above means something.
    const reader = join(dir, "pdf-reader");
    buildPdfReader(reader);
    const readerCode = readFileSync(join(reader, "index.js"), "utf8");
    for (const marker of ["PDFDocumentProxy", "PasswordException", "getDocumentProxy"]) expect(readerCode).toContain(marker);
  });
});
