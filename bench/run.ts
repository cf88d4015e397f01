// `npm run bench`: every benchmark, one after the other (each prints its JSON).
// `npm run bench -- burst`: the Monday-morning burst only (issue 19's four figures, each next
// to its aim); `npm run bench -- snp-dispatch calls`: the benchmarks named.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const ALL = ["bot-round-trip", "cold-start", "directory-import", "directory-search", "annuaire-round-trip", "care-room-creation", "mssante-throughput", "synapse-request-cost", "snp-dispatch", "snp-acceptance", "calls", "cpts-day"];
const GROUPS: Record<string, readonly string[]> = { burst: ["snp-acceptance", "snp-dispatch", "directory-import", "mssante-throughput", "synapse-request-cost"] };

const asked = process.argv.slice(2).flatMap((name) => GROUPS[name] ?? [name.replace(/\.ts$/, "")]);
const unknown = asked.filter((name) => !ALL.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(", ")}. Known: ${ALL.join(", ")}; groups: ${Object.keys(GROUPS).join(", ")}.`);
  process.exit(2);
}

for (const name of asked.length > 0 ? asked : ALL) {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL(`${name}.ts`, import.meta.url))], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
