// What `npm run backup` and `npm run restore` share: error reporting and sizes for people.
import { BackupError } from "./backup-archive.ts";

/** A wrong command line: exit code 2, as usual for usage errors. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Runs a command; a known problem is one line on stderr, anything else a stack trace. */
export function runCli(name: string, main: (argv: string[]) => Promise<void>): void {
  main(process.argv.slice(2)).catch((err: unknown) => {
    const usage = err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith("ERR_PARSE_ARGS");
    if (usage || err instanceof BackupError) {
      console.error(`${name}: error: ${(err as Error).message}`);
      process.exitCode = usage ? 2 : 1;
    } else {
      console.error(err);
      process.exitCode = 1;
    }
  });
}
