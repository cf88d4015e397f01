// The bots and the bridge ship without the tests (Dockerfile copies bots/ and bridges/ only):
// their production files must not import test helpers or fixtures.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
// Imports, and files read next to the module (`new URL("../x", import.meta.url)`, up to a `${`).
const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+|\bnew URL\(\s*)["'`]([^"'`$]+)/g;

const isTestFile = (path: string): boolean => /\.test\.ts$|test-helpers/.test(path) || path.startsWith("test/");

function sources(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts") && !name.includes("node_modules"))
    .map((name) => join(folder, name));
}

describe("production code", () => {
  it("imports no test helper or test file, and reads no test fixture", () => {
    const offending: string[] = [];
    for (const file of [...sources("bots"), ...sources("bridges")].filter((f) => !isTestFile(f))) {
      for (const [, specifier] of readFileSync(join(ROOT, file), "utf8").matchAll(IMPORT)) {
        if (!specifier!.startsWith(".")) continue;
        const target = relative(ROOT, resolve(ROOT, dirname(file), specifier!));
        if (isTestFile(target)) offending.push(`${file} → ${target}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
