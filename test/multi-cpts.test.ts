// Several CPTS on one host: two stacks (docker-compose.yml + docker-compose.behind-shared-proxy.yml,
// each with its own .env) and the shared edge proxy (docker-compose.shared-proxy.yml), merged
// the way `docker compose config` does for the keys read here (!reset, !override, interpolation),
// then checked for what would collide on one Docker host: project and volume names, published
// ports, subnets, names on the edge network; and the edge's HAProxy configuration for them.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isMap, isSeq, parseDocument, visit } from "yaml";
import { parseStacks, renderHaproxyConfig, stackProxyHost, type EdgeStack } from "../scripts/lib/shared-proxy.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const read = (path: string): string => readFileSync(join(ROOT, path), "utf8");

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const TAG = "__compose_tag__";

/** YAML with Compose's !reset and !override tags kept as markers for the merge. */
function loadComposeFile(text: string): Json {
  const doc = parseDocument(text, { merge: true });
  visit(doc, {
    Node(_, node) {
      if ((isMap(node) || isSeq(node)) && (node.tag === "!reset" || node.tag === "!override")) {
        const tag = node.tag;
        node.tag = undefined;
        return doc.createNode({ [TAG]: tag, value: node.toJSON() });
      }
      return undefined;
    },
  });
  return doc.toJS({ maxAliasCount: -1 }) as Json;
}

/** Compose's merge of an override into a base, for mappings and sequences. */
function merge(base: Json | undefined, extra: Json): Json {
  if (extra && typeof extra === "object" && !Array.isArray(extra) && TAG in extra) {
    return extra[TAG] === "!reset" ? (Array.isArray(extra["value"]) ? [] : {}) : extra["value"]!;
  }
  if (Array.isArray(base) && Array.isArray(extra)) return [...new Set([...base, ...extra].map((v) => JSON.stringify(v)))].map((v) => JSON.parse(v) as Json);
  if (base && extra && typeof base === "object" && typeof extra === "object" && !Array.isArray(base) && !Array.isArray(extra)) {
    const out: { [key: string]: Json } = { ...base };
    for (const [key, value] of Object.entries(extra)) out[key] = merge(base[key], value);
    return out;
  }
  return extra;
}

/** ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message}, $$, as Compose does with .env. */
function interpolate(value: Json, env: Record<string, string>): Json {
  if (typeof value === "string") {
    return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g, (whole, name: string, colon: string, op: string, arg: string) => {
      if (whole === "$$") return "$";
      const raw = env[name];
      const missing = raw === undefined || (colon === ":" && raw === "");
      if (op === "?" && missing) throw new Error(`${name}: ${arg}`);
      if (op === "-" && missing) return arg;
      return raw ?? "";
    });
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [interpolate(k, env) as string, interpolate(v, env)]));
  return value;
}

interface Service {
  ports?: string[];
  volumes?: string[];
  networks?: Record<string, { aliases?: string[]; ipv4_address?: string } | null>;
}
interface Project {
  name: string;
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, { name?: string; external?: boolean; ipam?: { config?: { subnet: string }[] } }>;
}

const EXAMPLE_ENV = Object.fromEntries(
  read(".env.example")
    .split("\n")
    .map((line) => /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1]!, m[2]!.trim()]),
);

function stackEnv(name: string, index: number): Record<string, string> {
  return {
    ...EXAMPLE_ENV,
    CPTS_STACK: name,
    SYNAPSE_SERVER_NAME: `${name}.fr`,
    MATRIX_HOST: `matrix.${name}.fr`,
    ELEMENT_HOST: `element.${name}.fr`,
    CPTS_SUBNET: `172.30.${index}.0/24`,
    CPTS_PROXY_IPV4: `172.30.${index}.10`,
    LIVEKIT_RTC_TCP_PORT: String(7881 + 10 * index),
    LIVEKIT_RTC_UDP_PORT: String(7882 + 10 * index),
    LIVEKIT_TURN_UDP_PORT: String(3478 + 10 * index),
    LIVEKIT_TURN_TLS_PORT: String(5349 + 10 * index),
    LIVEKIT_RELAY_PORTS: `${30000 + 200 * index}-${30100 + 200 * index}`,
  };
}

function stackProject(env: Record<string, string>, overrideText = read("docker-compose.behind-shared-proxy.yml")): Project {
  const merged = merge(loadComposeFile(read("docker-compose.yml")), loadComposeFile(overrideText));
  return interpolate(merged, env) as unknown as Project;
}

function edgeProject(): Project {
  return loadComposeFile(read("docker-compose.shared-proxy.yml")) as unknown as Project;
}

/** Host ports one project publishes, protocol included ("443/tcp"); ranges expanded. */
function publishedPorts(project: Project): string[] {
  return Object.values(project.services).flatMap((service) =>
    (service.ports ?? []).flatMap((spec) => {
      const [ports = "", protocol = "tcp"] = String(spec).split("/");
      const parts = ports.split(":");
      const host = parts.length >= 2 ? parts[parts.length - 2]! : parts[0]!;
      const [from, to = from] = host.split("-").map(Number) as [number, number?];
      return Array.from({ length: to! - from + 1 }, (_, i) => `${from + i}/${protocol}`);
    }),
  );
}

function subnets(project: Project): string[] {
  return Object.values(project.networks ?? {}).flatMap((n) => (n.external ? [] : (n.ipam?.config ?? []).map((c) => c.subnet)));
}

function overlaps(a: string, b: string): boolean {
  const range = (cidr: string): [number, number] => {
    const [ip, bits] = cidr.split("/") as [string, string];
    const start = ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
    const size = 2 ** (32 - Number(bits));
    return [start - (start % size), start - (start % size) + size - 1];
  };
  const [a0, a1] = range(a);
  const [b0, b1] = range(b);
  return a0 <= b1 && b0 <= a1;
}

/** What would collide between these projects on one Docker host. */
function hostConflicts(projects: Project[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const claim = (what: string, owner: number): void => {
    const other = seen.get(what);
    if (other !== undefined && other !== owner) problems.push(`${what}: ${projects[other]!.name} and ${projects[owner]!.name}`);
    seen.set(what, owner);
  };
  projects.forEach((project, index) => {
    claim(`project ${project.name}`, index);
    for (const port of publishedPorts(project)) claim(`port ${port}`, index);
    for (const volume of Object.keys(project.volumes ?? {})) claim(`volume ${project.name}_${volume}`, index);
    for (const service of Object.values(project.services)) {
      for (const alias of service.networks?.["edge"]?.aliases ?? []) claim(`edge name ${alias}`, index);
    }
  });
  const all = projects.flatMap((p, index) => subnets(p).map((s) => [index, s] as const));
  all.forEach(([owner, subnet], i) => {
    for (const [other, subnet2] of all.slice(i + 1)) {
      if (owner !== other && overlaps(subnet, subnet2)) problems.push(`subnet ${subnet} (${projects[owner]!.name}) overlaps ${subnet2} (${projects[other]!.name})`);
    }
  });
  return problems;
}

const stackA = (): Project => stackProject(stackEnv("cpts-a", 1));
const stackB = (): Project => stackProject(stackEnv("cpts-b", 2));

describe("several CPTS on one host", () => {
  it("two stacks and the edge share nothing that collides", () => {
    const projects = [edgeProject(), stackA(), stackB()];
    expect(projects.map((p) => p.name)).toEqual(["cpts-edge", "cpts-a", "cpts-b"]);
    expect(hostConflicts(projects)).toEqual([]);
  });

  it("publishes 80 and 443 on the edge only, and no Synapse port", () => {
    expect(publishedPorts(edgeProject()).sort()).toEqual(["443/tcp", "80/tcp"]);
    for (const stack of [stackA(), stackB()]) {
      const ports = publishedPorts(stack);
      expect(ports.filter((p) => /^(80|443|8008)\//.test(p))).toEqual([]);
      expect(stack.services["proxy"]!.networks!["edge"]!.aliases).toEqual([`${stack.name}-proxy`]);
      expect(stack.services["proxy"]!.networks!["default"]!.ipv4_address).toMatch(/^172\.30\.[12]\.10$/);
      // The stack's proxy still answers to MATRIX_HOST inside its own network (bots under MAS).
      expect(stack.services["proxy"]!.networks!["default"]!.aliases).toEqual([`matrix.${stack.name}.fr`]);
      expect(stack.services["proxy"]!.volumes).toContain("./client/edge:/etc/caddy/edge:ro");
    }
  });

  it("catches two stacks left on the same settings", () => {
    const same = stackProject(stackEnv("cpts-a", 1));
    const problems = hostConflicts([edgeProject(), stackA(), same]).join("\n");
    expect(problems).toMatch(/project cpts-a/);
    expect(problems).toMatch(/volume cpts-a_postgres-data/);
    expect(problems).toMatch(/port 7891\/tcp/);
    expect(problems).toMatch(/subnet 172\.30\.1\.0\/24/);
    expect(problems).toMatch(/edge name cpts-a-proxy/);
  });

  it("catches the single-CPTS stack next to the edge (ports 80 and 443 twice, fixed subnet)", () => {
    const single = interpolate(loadComposeFile(read("docker-compose.yml")), stackEnv("cpts-c", 3)) as unknown as Project;
    single.name = "cpts-c";
    const problems = hostConflicts([edgeProject(), single, stackA()]).join("\n");
    expect(problems).toMatch(/port 443\/tcp: cpts-edge and cpts-c/);
    const other = { ...single, name: "cpts-d" };
    expect(hostConflicts([single, other]).join("\n")).toMatch(/subnet 172\.30\.0\.0\/24/);
  });

  it("needs each stack's own settings, naming the missing one", () => {
    const { CPTS_SUBNET: _, ...env } = stackEnv("cpts-a", 1);
    expect(() => stackProject(env)).toThrow(/CPTS_SUBNET/);
    const { CPTS_STACK: __, ...noName } = stackEnv("cpts-a", 1);
    expect(() => stackProject(noName)).toThrow(/CPTS_STACK/);
  });

  it("lets only the edge network send the PROXY header to a stack's Caddy", () => {
    const edgeSubnet = subnets(edgeProject());
    expect(edgeSubnet).toEqual(["172.29.0.0/24"]);
    expect(read("client/edge/proxy-protocol.caddy")).toMatch(new RegExp(`allow ${edgeSubnet[0]!.replaceAll(".", "\\.")}`));
    expect(read("client/Caddyfile")).toMatch(/^\{\n\timport \/etc\/caddy\/edge\/\*\.caddy\n\}$/m);
  });
});

describe("the edge proxy's HAProxy configuration", () => {
  const stacks: EdgeStack[] = parseStacks(read("docs/examples/shared-proxy-stacks.yaml"), "example");
  const cfg = renderHaproxyConfig(stacks);

  it("sends every host name of a stack, on 443 by SNI and on 80 by Host, to that stack's proxy", () => {
    for (const stack of stacks) {
      const id = stack.name.replaceAll("-", "_");
      expect(cfg).toContain(`use_backend ${id}_https if { req.ssl_sni -i ${stack.hosts.join(" ")} }`);
      expect(cfg).toContain(`use_backend ${id}_http if { var(txn.host) -m str ${stack.hosts.join(" ")} }`);
      expect(cfg).toContain(`server proxy ${stackProxyHost(stack)}:443 send-proxy-v2`);
      expect(cfg).toContain(`server proxy ${stackProxyHost(stack)}:80 resolvers`);
    }
    // The alias each stack's override gives its proxy on the edge network.
    expect(stackA().services["proxy"]!.networks!["edge"]!.aliases).toEqual([stackProxyHost({ name: "cpts-a", hosts: ["cpts-a.fr"] })]);
  });

  it("refuses a host name claimed by two stacks, a duplicate stack and a bad name, naming the key", () => {
    expect(() => parseStacks("stacks:\n  - {name: a, hosts: [x.fr]}\n  - {name: b, hosts: [x.fr]}\n", "s.yaml")).toThrow("s.yaml: stacks.1.hosts.0: x.fr already belongs to a");
    expect(() => parseStacks("stacks:\n  - {name: a, hosts: [x.fr]}\n  - {name: a, hosts: [y.fr]}\n", "s.yaml")).toThrow("s.yaml: stacks.1.name: a is already used");
    expect(() => parseStacks("stacks:\n  - {name: A, hosts: [x.fr]}\n", "s.yaml")).toThrow(/s\.yaml: stacks\.0\.name: lower case/);
    expect(() => parseStacks("stacks:\n  - {name: a, hosts: ['https://x.fr']}\n", "s.yaml")).toThrow(/stacks\.0\.hosts\.0: a lower-case DNS name/);
  });
});

