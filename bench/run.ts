// `npm run bench`: every benchmark, one after the other (each prints its JSON).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

for (const name of ["bot-round-trip.ts", "cold-start.ts", "directory-import.ts", "directory-search.ts", "annuaire-round-trip.ts", "care-room-creation.ts", "mssante-throughput.ts", "snp-dispatch.ts", "snp-acceptance.ts", "calls.ts", "cpts-day.ts"]) {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL(name, import.meta.url))], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
