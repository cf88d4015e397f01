import { readFileSync } from "node:fs";

/** A synthetic mail of test/fixtures/mssante (see build-fixtures.ts there). */
export function fixtureMail(name: string): Buffer {
  return readFileSync(new URL(`../../../test/fixtures/mssante/${name}`, import.meta.url));
}
