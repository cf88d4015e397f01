// The import graph between the modules of the bots (docs/architecture.md): which
// module may import which, and no cycle. `node scripts/module-graph.ts` prints the module
// graph and every broken rule; scripts/module-graph.test.ts fails on them.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { CORE_SCHEMA } from "../bots/core/store/core-migrations.ts";
import { MODULE_SCHEMAS } from "../bots/database.ts";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** A module, by the folder its files live in (the longest matching folder wins). */
export const MODULE_FOLDERS: ReadonlyMap<string, string> = new Map([
  ["bots/core", "core"],
  ["bots/directory", "directory"],
  ["bots/snp", "snp"],
  ["bots/care", "care"],
  ["bots/accueil", "accueil"],
  ["bots/calls", "calls"],
  ["bots/console", "console"],
  ["bridges/mssante", "mssante"],
  // The composition root: picks the bots and wires them; nothing imports it.
  ["bots/main.ts", "app"],
  ["bots/registry.ts", "app"],
  ["bots/database.ts", "app"],
  ["test", "test"],
]);

/** What each module may import besides itself. `app` may import every module. */
export const ALLOWED_IMPORTS: ReadonlyMap<string, readonly string[]> = new Map([
  ["core", []],
  ["directory", ["core"]],
  ["snp", ["core", "directory"]],
  ["care", ["core", "directory"]],
  ["accueil", ["core", "directory"]],
  ["calls", ["core"]],
  ["mssante", ["core", "directory"]],
  ["console", ["core", "directory", "snp", "care"]],
  ["app", ["core", "directory", "snp", "care", "accueil", "calls", "console", "mssante"]],
]);

export interface ImportEdge {
  readonly from: string;
  readonly to: string;
  readonly fromModule: string;
  readonly toModule: string;
}

/** The module a repository-relative path belongs to, or undefined (scripts, bench, client…). */
export function moduleOf(path: string): string | undefined {
  let best: [string, string] | undefined;
  for (const [folder, module] of MODULE_FOLDERS) {
    if ((path === folder || path.startsWith(`${folder}/`)) && (!best || folder.length > best[0].length)) best = [folder, module];
  }
  return best?.[1];
}

const isTest = (path: string): boolean => path.endsWith(".test.ts");

function productionFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(REPO_ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) files.push(...productionFiles(path));
    else if (entry.name.endsWith(".ts") && !isTest(path)) files.push(path);
  }
  return files;
}

/** Every relative import (static, re-export or dynamic) between production files of the bots and bridges. */
export function importEdges(roots: readonly string[] = ["bots", "bridges"]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const from of roots.flatMap(productionFiles)) {
    const fromModule = moduleOf(from);
    if (!fromModule) continue;
    const { importedFiles } = ts.preProcessFile(readFileSync(join(REPO_ROOT, from), "utf8"), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith(".")) continue;
      const to = relative(REPO_ROOT, resolve(REPO_ROOT, dirname(from), fileName));
      const toModule = moduleOf(to);
      if (toModule && toModule !== fromModule) edges.push({ from, to, fromModule, toModule });
    }
  }
  return edges;
}

/** Imports against ALLOWED_IMPORTS, one line each: "snp → console (bots/snp/x.ts imports bots/console/y.ts)". */
export function forbiddenImports(edges: readonly ImportEdge[]): string[] {
  return edges
    .filter((e) => !(ALLOWED_IMPORTS.get(e.fromModule) ?? []).includes(e.toModule))
    .map((e) => `${e.fromModule} → ${e.toModule} (${e.from} imports ${e.to})`);
}

/** The cycles of the module graph, each as "a → b → a"; empty when it is acyclic. */
export function moduleCycles(edges: readonly ImportEdge[]): string[] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) next.set(e.fromModule, (next.get(e.fromModule) ?? new Set()).add(e.toModule));
  const cycles = new Set<string>();
  const walk = (path: readonly string[]): void => {
    const here = path.at(-1)!;
    for (const to of next.get(here) ?? []) {
      const seenAt = path.indexOf(to);
      if (seenAt >= 0) {
        const loop = path.slice(seenAt);
        // One spelling per cycle: rotated to start at its smallest module name.
        const start = loop.indexOf([...loop].sort()[0]!);
        const rotated = [...loop.slice(start), ...loop.slice(0, start)];
        cycles.add([...rotated, rotated[0]].join(" → "));
      } else walk([...path, to]);
    }
  };
  for (const module of next.keys()) walk([module]);
  return [...cycles].sort();
}

/** The module that owns each table: the one whose migrations create it. */
export function tableOwners(): Map<string, string> {
  const owners = new Map<string, string>();
  for (const { module, migrations } of [CORE_SCHEMA, ...MODULE_SCHEMAS]) {
    for (const { sql } of migrations) for (const [, table] of sql.matchAll(/CREATE (?:VIRTUAL )?TABLE (?:IF NOT EXISTS )?([a-z_]+)/g)) owners.set(table!, module);
  }
  return owners;
}

const SQL_TABLE = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE(?: IF (?:NOT )?EXISTS)?)\s+([a-z_]+)\b/g;

/** SQL in a module's production files naming a table another module owns (core's tables are shared: every module may use them). */
export function tableReadsAcrossModules(roots: readonly string[] = ["bots", "bridges"]): string[] {
  const owners = tableOwners();
  const found: string[] = [];
  for (const file of roots.flatMap(productionFiles)) {
    const module = moduleOf(file);
    if (!module || module === "app" || module === "test") continue;
    const text = readFileSync(join(REPO_ROOT, file), "utf8");
    for (const [, table] of text.matchAll(SQL_TABLE)) {
      const owner = owners.get(table!);
      if (owner !== undefined && owner !== module && owner !== "core") found.push(`${module} reads ${owner}'s table ${table} (${file})`);
    }
  }
  return [...new Set(found)].sort();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const edges = importEdges();
  const pairs = [...new Set(edges.map((e) => `${e.fromModule} → ${e.toModule}`))].sort();
  console.log(`module imports:\n${pairs.map((p) => `  ${p}`).join("\n")}`);
  const problems = [
    ...moduleCycles(edges).map((c) => `cycle: ${c}`),
    ...forbiddenImports(edges).map((f) => `forbidden: ${f}`),
    ...tableReadsAcrossModules().map((t) => `table: ${t}`),
  ];
  console.log(problems.length === 0 ? "no cycle, no forbidden import" : problems.join("\n"));
  process.exit(problems.length === 0 ? 0 : 1);
}
