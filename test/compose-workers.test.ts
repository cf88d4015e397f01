// The worker override (docker-compose.workers.yml) against what it must agree with: the
// routing table (synapse-config/workers/routes.yaml) and the Caddy routes generated from it,
// the worker files (synapse-config/workers/*.yaml), the production template's worker section
// and the CPTS policy module. No Docker engine: each rule is a pure function over the parsed
// files, and the "catches" tests feed it broken copies.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { loadRoutes, MAIN_PROCESS, parseRoutes, renderCaddyRoutes, routeFor, WORKER_HTTP_PORT } from "../scripts/lib/synapse-routes.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const read = (path: string): string => readFileSync(join(ROOT, path), "utf8");

interface Service {
  image?: string;
  entrypoint?: string[];
  environment?: Record<string, string>;
  secrets?: string[];
  volumes?: string[];
  ports?: unknown[];
  depends_on?: Record<string, unknown>;
}
interface Compose {
  services: Record<string, Service>;
  secrets?: Record<string, { file?: string }>;
}

/** `docker compose -f docker-compose.yml -f docker-compose.workers.yml`, for the keys read here (YAML merge keys resolved). */
function mergedCompose(override: Compose = parseYaml(read("docker-compose.workers.yml"), { merge: true }) as Compose): Compose {
  const base = parseYaml(read("docker-compose.yml"), { merge: true }) as Compose;
  const services: Record<string, Service> = structuredClone(base.services);
  for (const [name, extra] of Object.entries(override.services)) {
    const into = (services[name] ??= {});
    for (const [key, value] of Object.entries(extra) as [keyof Service, unknown][]) {
      const current = into[key] as unknown;
      if (Array.isArray(current) && Array.isArray(value)) (into as Record<string, unknown>)[key] = [...new Set([...current, ...value])];
      else if (current && typeof current === "object" && value && typeof value === "object") (into as Record<string, unknown>)[key] = { ...current, ...value };
      else (into as Record<string, unknown>)[key] = value;
    }
  }
  return { services, secrets: { ...base.secrets, ...override.secrets } };
}

/** The production template rendered as the main service renders it, with SYNAPSE_WORKERS=true (render_config.py is stdlib only). */
function renderedSharedConfig(): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), "workers-render-"));
  try {
    const out = join(dir, "homeserver.yaml");
    const env = {
      PATH: process.env["PATH"] ?? "",
      SYNAPSE_SERVER_NAME: "cpts-exemple.fr",
      SYNAPSE_PUBLIC_BASEURL: "https://matrix.cpts-exemple.fr/",
      SYNAPSE_DB_PASSWORD: "x",
      CPTS_POLICY_DIRECTORY_URL: "http://bots:8081",
      CPTS_POLICY_BOTS: "accueil, annuaire, snp, equipes, mssante",
      SYNAPSE_WORKERS: "true",
    };
    const result = spawnSync("python3", [join(ROOT, "synapse-config/render_config.py"), "--output", out], { env, encoding: "utf8" });
    if (result.status !== 0) throw new Error(result.stderr);
    return parseYaml(readFileSync(out, "utf8")) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SHARED = renderedSharedConfig();

function isSynapseProcess(service: Service, name: string): boolean {
  return name === "synapse" || (service.entrypoint ?? []).some((word) => word.startsWith("synapse.app."));
}

/** Secret names the shared config makes every Synapse process read (its *_path and token_file keys under /run/secrets). */
function secretsReadBySynapse(config: unknown): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, key = ""): void => {
    if (typeof value === "string" && /(_path|token_file)$/.test(key) && value.startsWith("/run/secrets/")) found.add(value.slice("/run/secrets/".length));
    else if (Array.isArray(value)) value.forEach((v) => walk(v));
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(config);
  return [...found].sort();
}

function workerViolations(compose: Compose, caddyRoutes: string, caddyfile: string, shared: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const services = compose.services;
  const routes = loadRoutes();
  const instanceMap = Object.keys((shared["instance_map"] as Record<string, unknown> | undefined) ?? {}).filter((n) => n !== "main");
  const named = new Set([
    ...routes.map((g) => g.worker),
    ...instanceMap,
    ...((shared["federation_sender_instances"] as string[] | undefined) ?? []),
    ...(shared["media_instance_running_background_jobs"] ? [String(shared["media_instance_running_background_jobs"])] : []),
  ]);
  for (const worker of named) {
    const service = services[worker];
    if (!service) {
      problems.push(`services.${worker}: missing (named by the routing table or the shared config)`);
      continue;
    }
    const workerFile = `./synapse-config/workers/${worker}.yaml`;
    const mount = (service.volumes ?? []).find((v) => v.startsWith(`${workerFile}:`));
    if (!mount) {
      problems.push(`services.${worker}: must mount ${workerFile}`);
      continue;
    }
    const target = mount.split(":")[1]!;
    const entry = service.entrypoint ?? [];
    if (!(entry.includes("/data/homeserver.yaml") && entry.includes(target))) problems.push(`services.${worker}: must start with the shared /data/homeserver.yaml and ${target}`);
    const file = parseYaml(read(workerFile)) as { worker_name?: string; worker_listeners?: { port?: number }[] };
    if (file.worker_name !== worker) problems.push(`${workerFile}: worker_name must be ${worker}`);
    if (routes.some((g) => g.worker === worker) && !(file.worker_listeners ?? []).some((l) => l.port === WORKER_HTTP_PORT)) {
      problems.push(`${workerFile}: the proxy sends requests to port ${WORKER_HTTP_PORT}`);
    }
    if ((service.ports ?? []).length > 0) problems.push(`services.${worker}: no published port (only the proxy reaches workers)`);
  }
  if (!services["redis"]) problems.push("services.redis: missing (shared config enables Redis)");
  else if ((services["redis"].ports ?? []).length > 0) problems.push("services.redis: no published port");
  if (services["synapse"]?.environment?.["SYNAPSE_WORKERS"] !== "true") problems.push("services.synapse.environment: SYNAPSE_WORKERS must be \"true\"");

  // Every Synapse process loads the CPTS policy module and can read what the shared config names.
  const needed = secretsReadBySynapse(shared);
  for (const [name, service] of Object.entries(services)) {
    if (!isSynapseProcess(service, name)) continue;
    if (!(service.volumes ?? []).includes("./synapse-config/cpts_policy:/cpts/modules/cpts_policy:ro")) problems.push(`services.${name}: must mount the CPTS policy module at /cpts/modules/cpts_policy`);
    if (service.environment?.["PYTHONPATH"] !== "/cpts/modules") problems.push(`services.${name}.environment: PYTHONPATH must be /cpts/modules (the policy module)`);
    for (const secret of needed) if (!(service.secrets ?? []).includes(secret)) problems.push(`services.${name}.secrets: ${secret} (read by the shared config)`);
  }

  // The proxy routes per the table.
  if (caddyRoutes !== renderCaddyRoutes(routes)) problems.push("client/workers/synapse-routes.caddy: stale, run node scripts/synapse-worker-routes.ts");
  const proxy = services["proxy"];
  if (!(proxy?.volumes ?? []).includes("./client/workers:/etc/caddy/workers:ro")) problems.push("services.proxy: must mount ./client/workers at /etc/caddy/workers");
  const start = caddyfile.indexOf("handle /_matrix/* {");
  const handler = start < 0 ? "" : caddyfile.slice(start, caddyfile.indexOf("\n\t}", start));
  const imported = handler.indexOf("import /etc/caddy/workers/*.caddy");
  if (imported < 0 || imported > handler.indexOf("reverse_proxy synapse:8008")) {
    problems.push("client/Caddyfile: the /_matrix/* handler must import /etc/caddy/workers/*.caddy before its synapse:8008 fallback");
  }
  for (const match of caddyRoutes.matchAll(/reverse_proxy @\S+ ([a-z0-9-]+):(\d+)/g)) {
    if (!services[match[1]!]) problems.push(`client/workers/synapse-routes.caddy: routes to ${match[1]}, which has no service`);
  }
  return problems;
}

const caddyRoutes = read("client/workers/synapse-routes.caddy");
const caddyfile = read("client/Caddyfile");

describe("docker-compose.workers.yml", () => {
  it("agrees with the routing table, the worker files, the shared config and the policy module", () => {
    expect(workerViolations(mergedCompose(), caddyRoutes, caddyfile, SHARED)).toEqual([]);
  });

  it("names every worker of the shared config and of the routing table", () => {
    expect(Object.keys(mergedCompose().services).filter((name) => name.startsWith("synapse-")).sort()).toEqual([
      "synapse-client",
      "synapse-federation-sender",
      "synapse-media",
      "synapse-sync",
    ]);
    expect(SHARED["federation_sender_instances"]).toEqual(["synapse-federation-sender"]);
    expect(secretsReadBySynapse(SHARED)).toContain("synapse_worker_replication_secret");
    expect(secretsReadBySynapse(SHARED)).toContain("cpts_policy_token");
  });

  const override = (): Compose => parseYaml(read("docker-compose.workers.yml"), { merge: true }) as Compose;
  it.each<[string, (c: Compose) => void, string, RegExp]>([
    ["a routed worker without service", (c) => delete c.services["synapse-sync"], caddyRoutes, /services\.synapse-sync: missing/],
    ["the media worker without service", (c) => delete c.services["synapse-media"], caddyRoutes, /services\.synapse-media: missing/],
    ["a worker without the policy module", (c) => (c.services["synapse-client"]!.volumes = c.services["synapse-client"]!.volumes!.filter((v) => !v.includes("cpts_policy"))), caddyRoutes, /synapse-client: must mount the CPTS policy module/],
    ["a worker without the policy token", (c) => (c.services["synapse-sync"]!.secrets = ["synapse_worker_replication_secret"]), caddyRoutes, /synapse-sync\.secrets: cpts_policy_token/],
    ["a worker on the wrong file", (c) => (c.services["synapse-sync"]!.volumes = ["./synapse-config/workers/synapse-client.yaml:/cpts/worker.yaml:ro"]), caddyRoutes, /synapse-sync: must mount/],
    ["a published worker", (c) => (c.services["synapse-client"]!.ports = ["8008:8008"]), caddyRoutes, /synapse-client: no published port/],
    ["Redis missing", (c) => delete c.services["redis"], caddyRoutes, /services\.redis: missing/],
    ["stale Caddy routes", () => {}, caddyRoutes.replace("synapse-sync:8008", "synapse-sync:8009"), /stale/],
  ])("catches %s", (_, breakIt, routesText, expected) => {
    const broken = override();
    breakIt(broken);
    expect(workerViolations(mergedCompose(broken), routesText, caddyfile, SHARED).join("\n")).toMatch(expected);
  });

  it("catches a Caddyfile that no longer imports the worker routes", () => {
    const broken = caddyfile.replace("import /etc/caddy/workers/*.caddy", "");
    expect(workerViolations(mergedCompose(), caddyRoutes, broken, SHARED).join("\n")).toMatch(/must import \/etc\/caddy\/workers/);
  });
});

describe("the worker routing table", () => {
  const routes = loadRoutes();
  const all = new Set([MAIN_PROCESS, "synapse-sync", "synapse-client", "synapse-media"]);
  it.each([
    ["GET", "/_matrix/client/v3/sync", "synapse-sync"],
    ["PUT", "/_matrix/client/v3/rooms/!a:cpts.test/send/m.room.encrypted/t1", "synapse-client"],
    ["POST", "/_matrix/client/v3/rooms/!a:cpts.test/invite", MAIN_PROCESS],
    ["POST", "/_matrix/client/v3/join/!a:cpts.test", MAIN_PROCESS],
    ["POST", "/_matrix/client/v3/createRoom", "synapse-client"],
    ["POST", "/_matrix/client/v3/keys/upload", MAIN_PROCESS],
    ["POST", "/_matrix/client/v3/keys/query", MAIN_PROCESS],
    ["POST", "/_matrix/client/v3/keys/signatures/upload", MAIN_PROCESS],
    ["GET", "/_matrix/client/v3/devices", MAIN_PROCESS],
    ["GET", "/_matrix/client/v3/pushrules/", "synapse-client"],
    ["PUT", "/_matrix/client/v3/pushrules/global/override/x", MAIN_PROCESS],
    ["PUT", "/_matrix/client/v3/sendToDevice/m.room.encrypted/t2", MAIN_PROCESS],
    ["PUT", "/_matrix/client/v3/rooms/!a:cpts.test/typing/@u:cpts.test", MAIN_PROCESS],
    ["POST", "/_matrix/client/v3/rooms/!a:cpts.test/receipt/m.read/$e", MAIN_PROCESS],
    ["GET", "/_matrix/client/v3/login/sso/redirect/psc", MAIN_PROCESS],
    ["POST", "/_synapse/admin/v1/register", MAIN_PROCESS],
    ["GET", "/_matrix/client/v1/media/download/cpts.test/abc", "synapse-media"],
    ["POST", "/_matrix/media/v3/upload", "synapse-media"],
  ])("%s %s goes to %s", (method, path, expected) => {
    expect(routeFor(routes, method, path, all)).toBe(expected);
  });

  it("sends an absent worker's routes to the main process (the tests keep media there)", () => {
    expect(routeFor(routes, "POST", "/_matrix/media/v3/upload", new Set([MAIN_PROCESS, "synapse-sync", "synapse-client"]))).toBe(MAIN_PROCESS);
  });

  it("refuses a malformed table, naming the key", () => {
    expect(() => parseRoutes("groups:\n  - worker: Sync\n    paths: ['^/x']\n", "t.yaml")).toThrow(/t\.yaml: groups\.0\.worker/);
    expect(() => parseRoutes("groups:\n  - worker: sync\n    paths: ['/x']\n", "t.yaml")).toThrow(/groups\.0\.paths\.0: a path regex anchored/);
  });
});
