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

/** Port of every worker's client or media listener (synapse-config/workers/*.yaml). */
export const WORKER_HTTP_PORT = 8008;

/**
 * Caddy directives for the `handle /_matrix/*` block of client/Caddyfile (imported from
 * client/workers/ by docker-compose.workers.yml): one named matcher and reverse_proxy per
 * group, in table order. Caddy keeps reverse_proxy directives with named matchers in the
 * order written and puts the unmatched one (the main process) last, so the first group wins
 * as in routeFor.
 */
export function renderCaddyRoutes(groups: readonly RouteGroup[], port = WORKER_HTTP_PORT): string {
  const lines = ["# Generated from synapse-config/workers/routes.yaml by `node scripts/synapse-worker-routes.ts`; do not edit."];
  groups.forEach((group, index) => {
    const name = `worker_${index}_${group.worker.replaceAll("-", "_")}`;
    lines.push(`@${name} {`);
    if (group.methods) lines.push(`\tmethod ${group.methods.join(" ")}`);
    lines.push(`\tpath_regexp ${name} ${alternation(group.paths)}`);
    lines.push("}");
    lines.push(`reverse_proxy @${name} ${group.worker}:${port}`);
  });
  return lines.join("\n") + "\n";
}
