// The worker routing table (synapse-config/workers/routes.yaml): which Synapse process
// answers a request. Read by the local router (synapse-router.ts) and rendered into the
// production Caddy configuration (client/Caddyfile.workers), so both route alike.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { REPO_ROOT } from "./synapse-install.ts";

export const ROUTES_FILE = join(REPO_ROOT, "synapse-config", "workers", "routes.yaml");
export const MAIN_PROCESS = "main";

const routesSchema = z.object({
  groups: z
    .array(
      z.object({
        worker: z.string().regex(/^[a-z][a-z0-9-]*$/, "a worker name: lower case, digits and dashes"),
        methods: z.array(z.enum(["GET", "HEAD", "POST", "PUT", "DELETE"])).min(1).optional(),
        paths: z.array(z.string().startsWith("^/", "a path regex anchored at the start (^/...)")).min(1),
      }),
    )
    .min(1),
});

export interface RouteGroup {
  worker: string;
  methods?: readonly string[];
  paths: readonly string[];
  /** The group's paths as one alternation, as Caddy's path_regexp takes it. */
  pattern: RegExp;
}

export function parseRoutes(text: string, source = ROUTES_FILE): RouteGroup[] {
  const parsed = routesSchema.safeParse(parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${source}: ${issue.path.join(".")}: ${issue.message}`);
  }
  return parsed.data.groups.map((g) => ({ ...g, pattern: new RegExp(alternation(g.paths)) }));
}

export function loadRoutes(): RouteGroup[] {
  return parseRoutes(readFileSync(ROUTES_FILE, "utf8"));
}

function alternation(paths: readonly string[]): string {
  return `(?:${paths.map((p) => `(?:${p})`).join("|")})`;
}

/**
 * The process answering `method path`: the first matching group's worker if that worker
 * runs here (`present`), else the main process.
 */
export function routeFor(groups: readonly RouteGroup[], method: string, path: string, present: ReadonlySet<string>): string {
  for (const group of groups) {
    if (!present.has(group.worker)) continue;
    if (group.methods && !group.methods.includes(method)) continue;
    if (group.pattern.test(path)) return group.worker;
  }
  return MAIN_PROCESS;
}

/**
 * Caddy snippet `synapse_worker_routes`: one named matcher and reverse_proxy per group, in
 * table order (Caddy keeps the order of reverse_proxy directives with different matchers as
 * written, so the first group wins as in routeFor). `port` is the workers' client listener.
 */
export function renderCaddyRoutes(groups: readonly RouteGroup[], port: number): string {
  const lines = [
    "# Generated from synapse-config/workers/routes.yaml by scripts/synapse-worker-routes.ts; do not edit.",
    "(synapse_worker_routes) {",
  ];
  groups.forEach((group, index) => {
    const name = `worker_${index}_${group.worker.replaceAll("-", "_")}`;
    lines.push(`\t@${name} {`);
    if (group.methods) lines.push(`\t\tmethod ${group.methods.join(" ")}`);
    lines.push(`\t\tpath_regexp ${name} ${alternation(group.paths)}`);
    lines.push("\t}");
    lines.push(`\treverse_proxy @${name} ${group.worker}:${port}`);
  });
  lines.push("}");
  return lines.join("\n") + "\n";
}
