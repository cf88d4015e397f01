import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** Every long-running process leaves its pid in the data folder while it runs. */
export function writePidFile(file: string, pid: number = process.pid): () => void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${pid}\n`);
  return () => rmSync(file, { force: true });
}
