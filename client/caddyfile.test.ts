// client/Caddyfile, read as Caddy reads its blocks: the routes the stack depends on, and
// that it serves every file `npm run client:config` writes at the URL the config and the
// onboarding page use. Each rule is a function over the text; "catches" feeds broken copies.
// (Checked by hand with Caddy 2.11: `caddy validate`, and a local run answering each route.)
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadBotsConfig } from "../bots/core/config.ts";
import { LOGO_PATH, ONBOARDING_PATH } from "./element/branding.ts";
import { exampleBranding } from "./element/example-env.ts";
import { clientFiles } from "./element/generate.ts";

const caddyfile = readFileSync(new URL("Caddyfile", import.meta.url), "utf8");

interface Block {
  head: string;
  body: string;
}

/** The top-level `head { body }` blocks of a Caddyfile fragment (comments dropped). */
function blocksOf(text: string): Block[] {
  // `{$NAME}` placeholders are not blocks: set them aside while counting braces.
  const source = text.replace(/(^|\s)#.*$/gm, "$1").replace(/\{\$(\w+(?::[^}\s]*)?)\}/g, "\u0000$1\u0001");
  const restore = (part: string): string => part.replace(/\u0000([^\u0001]+)\u0001/g, "{$$$1}");
  const blocks: Block[] = [];
  let depth = 0;
  let headStart = 0;
  let bodyStart = 0;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === "{") {
      if (depth === 0) bodyStart = i + 1;
      depth++;
    } else if (char === "}" && depth > 0) {
      depth--;
      if (depth === 0) {
        blocks.push({ head: restore(source.slice(headStart, bodyStart - 1).trim()), body: restore(source.slice(bodyStart, i)) });
        headStart = i + 1;
      }
    } else if (depth === 0 && char === "\n") {
      headStart = i + 1;
    }
  }
  return blocks;
}

/** A site's body with its `import`ed snippets spliced in. */
function siteBody(all: Block[], site: Block): string {
  return site.body.replace(/^\s*import\s+(\S+)\s*$/gm, (_line, name: string) => all.find((b) => b.head === `(${name})`)?.body ?? `MISSING SNIPPET ${name}`);
}

/** `handle <matcher> { ... }` (and `handle_path`, which strips the prefix) of a site, by matcher ("" for the catch-all). */
function handlers(body: string): Map<string, string> {
  return new Map(blocksOf(body).filter((b) => /^handle(_path)?\b/.test(b.head)).map((b) => [b.head.replace(/^handle(_path)?\s*/, ""), b.body]));
}

/** The SNP bot's http.port in the documented configuration. */
const SNP_HTTP_PORT = loadBotsConfig(fileURLToPath(new URL("../bots/config.example.yaml", import.meta.url))).bots["snp"]!.http.port;

const SITES = { apex: "{$CPTS_DOMAIN}", matrix: "{$MATRIX_HOST}", element: "{$ELEMENT_HOST}" } as const;

/** Whether a handler with a `/prefix/*` matcher serves this path from the generated site. */
function servesStatic(routes: Map<string, string>, path: string): boolean {
  return [...routes].some(([matcher, body]) => matcher.endsWith("/*") && path.startsWith(matcher.slice(0, -1)) && /root \* \/srv\/www/.test(body) && /\bfile_server\b/.test(body));
}

function caddyViolations(text: string): string[] {
  const problems: string[] = [];
  const all = blocksOf(text);
  const site = (address: string): Map<string, string> | undefined => {
    const block = all.find((b) => b.head === address);
    return block && handlers(siteBody(all, block));
  };
  const [apex, matrix, element] = [site(SITES.apex), site(SITES.matrix), site(SITES.element)];
  if (!apex || !matrix || !element) return [`sites: need ${Object.values(SITES).join(", ")}`];
  const generated = [...clientFiles(exampleBranding()).keys()].filter((path) => path.startsWith("www/")).map((path) => path.slice("www".length));

  // The server name: discovery files with CORS and JSON, the onboarding page, the logo.
  for (const path of generated) {
    if (!servesStatic(apex, path)) problems.push(`${SITES.apex}: does not serve ${path} from /srv/www`);
  }
  const wellKnown = apex.get("/.well-known/matrix/*") ?? "";
  if (!/header Access-Control-Allow-Origin "\*"/.test(wellKnown)) problems.push(`${SITES.apex}: .well-known/matrix needs Access-Control-Allow-Origin *`);
  if (!/header Content-Type application\/json/.test(wellKnown)) problems.push(`${SITES.apex}: .well-known/matrix must be served as application/json`);

  // The homeserver: the client API (and federation) and Synapse's SSO pages, nothing else.
  for (const prefix of ["/_matrix/*", "/_synapse/client/*"]) {
    if (!/^\s*reverse_proxy synapse:8008\s*$/m.test(matrix.get(prefix) ?? "")) problems.push(`${SITES.matrix}: ${prefix} must go to synapse:8008`);
  }
  for (const [matcher, body] of [...apex, ...matrix, ...element]) {
    if (/reverse_proxy synapse/.test(body) && !["/_matrix/*", "/_synapse/client/*"].includes(matcher)) problems.push(`${matcher || "(catch-all)"}: exposes more of Synapse`);
  }

  // Video calls: the authorisation service and LiveKit's signalling, on the homeserver's host.
  for (const [prefix, upstream] of [["/livekit/jwt/*", "rtc-auth:8090"], ["/livekit/sfu/*", "livekit:7880"]] as const) {
    if (!new RegExp(`^\\s*reverse_proxy ${upstream}\\s*$`, "m").test(matrix.get(prefix) ?? "")) problems.push(`${SITES.matrix}: ${prefix} must go to ${upstream}`);
  }

  // Element Web on its own host, with the logo its config points at.
  if (!/reverse_proxy element:80\b/.test(element.get("") ?? "")) problems.push(`${SITES.element}: everything else must go to element:80`);
  if (!servesStatic(element, new URL(exampleBranding().logoUrl).pathname)) problems.push(`${SITES.element}: does not serve the logo of config.json`);
  if (!/X-Frame-Options SAMEORIGIN|frame-ancestors 'self'/.test(element.get("") ?? "")) problems.push(`${SITES.element}: must refuse framing by other sites`);

  // The telephone system's question to the SNP bot: that path only, from its addresses only.
  const apexBlocks = blocksOf(siteBody(all, all.find((b) => b.head === SITES.apex)!));
  const gardeMatcher = apexBlocks.find((b) => b.head === "@garde_phone")?.body ?? "";
  if (!/^\s*path \/garde\/now\s*$/m.test(gardeMatcher) || !/^\s*remote_ip \{\$GARDE_PHONE_ADDRESSES\}\s*$/m.test(gardeMatcher)) {
    problems.push("@garde_phone: must match path /garde/now from remote_ip {$GARDE_PHONE_ADDRESSES} only");
  }
  if (!new RegExp(`^\\s*reverse_proxy bots:${SNP_HTTP_PORT}\\s*$`, "m").test(apex.get("@garde_phone") ?? "")) problems.push(`@garde_phone: must go to the SNP bot, bots:${SNP_HTTP_PORT}`);
  for (const [matcher, body] of [...apex, ...matrix, ...element]) {
    if (new RegExp(`reverse_proxy bots:${SNP_HTTP_PORT}`).test(body) && matcher !== "@garde_phone") problems.push(`${matcher || "(catch-all)"}: exposes more of the SNP bot`);
  }

  if (!all.some((b) => b.head === "http://localhost:2080" && /respond \/healthz/.test(b.body))) problems.push("healthcheck site http://localhost:2080/healthz missing");
  return problems;
}

describe("client/Caddyfile", () => {
  it("routes the stack and serves every generated file where the config and the page expect it", () => {
    expect(caddyViolations(caddyfile)).toEqual([]);
    expect(new URL(exampleBranding().onboardingUrl).pathname).toBe(ONBOARDING_PATH);
    expect(exampleBranding().logoUrl).toContain(LOGO_PATH);
  });

  it("reads the blocks as Caddy does", () => {
    const heads = blocksOf(caddyfile).map((b) => b.head);
    expect(heads).toEqual(["", "(matrix_well_known)", "(cpts_logo)", "(security_headers)", "(mas_compat_true)", "(mas_compat_false)", "(mas_site_true)", "(mas_site_false)", SITES.apex, SITES.matrix, SITES.element, "http://localhost:2080"]);
  });

  const mutations: [string, (text: string) => string, RegExp][] = [
    ["no CORS on the well-known", (t) => t.replace('header Access-Control-Allow-Origin "*"\n', ""), /Access-Control-Allow-Origin/],
    ["the client API to the wrong port", (t) => t.replace("import /etc/caddy/workers/*.caddy\n\t\treverse_proxy synapse:8008", "import /etc/caddy/workers/*.caddy\n\t\treverse_proxy synapse:8448"), /\/_matrix\/\* must go to synapse:8008/],
    ["Synapse's admin API exposed", (t) => t.replace("handle /_synapse/client/* {", "handle /_synapse/* {"), /\/_synapse\/\*: exposes more of Synapse/],
    ["no onboarding page", (t) => t.replace("handle /bienvenue/* {", "handle /accueil/* {"), /does not serve \/bienvenue\/index\.html/],
    ["the logo missing on Element's host", (t) => t.replace("import security_headers\n\timport cpts_logo\n\thandle {", "import security_headers\n\thandle {"), /does not serve the logo of config\.json/],
    ["no route to the call authorisation service", (t) => t.replace("handle_path /livekit/jwt/* {", "handle_path /livekit/token/* {"), /\/livekit\/jwt\/\* must go to rtc-auth:8090/],
    ["the garde route open to anyone", (t) => t.replace("\t\tremote_ip {$GARDE_PHONE_ADDRESSES}\n", ""), /@garde_phone: must match/],
    ["the SNP bot's metrics published", (t) => t.replace("path /garde/now", "path /garde/now /metrics"), /@garde_phone: must match/],
    ["the garde route to the wrong bot", (t) => t.replace("handle @garde_phone {\n\t\treverse_proxy bots:8082", "handle @garde_phone {\n\t\treverse_proxy bots:8081"), /must go to the SNP bot/],
    ["Element on the homeserver's host", (t) => t.replace("{$ELEMENT_HOST} {", "{$MATRIX_HOST}/app {"), /sites: need/],
  ];
  it.each(mutations)("catches %s", (_label, mutate, expected) => {
    const mutated = mutate(caddyfile);
    expect(mutated).not.toBe(caddyfile);
    expect(caddyViolations(mutated).join("\n")).toMatch(expected);
  });
});

// --- Matrix Authentication Service (MAS) --------------------------------------------------
// MAS_ENABLED picks snippets by name (`import mas_compat_{$MAS_ENABLED:false}`): Caddy puts
// environment values in before it parses, as `asCaddyReadsIt` does here. (Checked by hand
// with Caddy 2.11.4, `caddy adapt` with MAS_ENABLED=true and false: the MAS host appears only
// with true, and in /_matrix/* the compatibility route comes before Synapse's.)

/** The Caddyfile once Caddy has put MAS_ENABLED in and expanded the top-level imports. */
function asCaddyReadsIt(text: string, masEnabled: "true" | "false"): string {
  const substituted = text.replace(/\{\$MAS_ENABLED(?::[^}]*)?\}/g, masEnabled);
  const snippets = blocksOf(substituted).filter((b) => /^\(.+\)$/.test(b.head));
  // An import of a file glob (/etc/caddy/workers/*.caddy) reads a folder only an override file
  // mounts: empty in the stack as this file describes it.
  return substituted.replace(/^\s*import\s+(\S+)\s*$/gm, (_line, name: string) => (name.startsWith("/") ? "" : (snippets.find((b) => b.head === `(${name})`)?.body ?? `MISSING SNIPPET ${name}`)));
}

/** The compatibility routes' pattern, as the Caddyfile gives it to path_regexp (RE2, here JS). */
function compatPattern(matrixRoute: string): RegExp | undefined {
  const match = /@(\w+)\s+path_regexp\s+(?:\w+\s+)?(\S+)/.exec(matrixRoute);
  return match ? new RegExp(match[2]!) : undefined;
}

/** Paths MAS's compatibility layer serves, and paths that stay with Synapse. */
const MAS_PATHS = ["/_matrix/client/v3/login", "/_matrix/client/r0/login", "/_matrix/client/v3/login/sso/redirect", "/_matrix/client/v3/login/sso/redirect/oidc-psc", "/_matrix/client/v3/logout", "/_matrix/client/v3/logout/all", "/_matrix/client/v3/refresh", "/_matrix/client/unstable/refresh"];
const SYNAPSE_PATHS = ["/_matrix/client/v3/sync", "/_matrix/client/versions", "/_matrix/client/v1/auth_metadata", "/_matrix/client/v3/keys/device_signing/upload", "/_matrix/client/unstable/org.matrix.msc4108/rendezvous", "/_matrix/client/v3/loginx", "/_matrix/federation/v1/version", "/_matrix/client/v3/rooms/!a:b/send/m.room.message/1"];

function masViolations(text: string): string[] {
  const problems: string[] = [];
  for (const enabled of ["true", "false"] as const) {
    const all = blocksOf(asCaddyReadsIt(text, enabled));
    const matrixSite = all.find((b) => b.head === SITES.matrix);
    const masSite = all.find((b) => b.head === "{$MAS_HOST}");
    if (!matrixSite) return [`MAS_ENABLED=${enabled}: no ${SITES.matrix} site`];
    const matrixRoute = handlers(siteBody(all, matrixSite)).get("/_matrix/*") ?? "";
    if (/MISSING SNIPPET/.test(matrixRoute) || all.some((b) => /MISSING SNIPPET/.test(b.body))) problems.push(`MAS_ENABLED=${enabled}: imports a snippet that does not exist`);
    if (enabled === "false") {
      if (masSite) problems.push("MAS_ENABLED=false: no MAS site (MAS_HOST need not exist)");
      if (all.some((b) => /reverse_proxy[^\n]*\bmas:/.test(siteBody(all, b)) && !/^\(/.test(b.head))) problems.push("MAS_ENABLED=false: a route still goes to MAS");
      continue;
    }
    if (!masSite || !/^\s*reverse_proxy mas:8080\s*$/m.test(handlers(siteBody(all, masSite)).get("") ?? "")) problems.push("MAS_ENABLED=true: {$MAS_HOST} must send everything to mas:8080");
    const pattern = compatPattern(matrixRoute);
    if (!pattern || !/reverse_proxy @\w+ mas:8080/.test(matrixRoute)) {
      problems.push("MAS_ENABLED=true: /_matrix/* must send the compatibility routes to mas:8080");
      continue;
    }
    for (const path of MAS_PATHS) if (!pattern.test(path)) problems.push(`MAS_ENABLED=true: ${path} must go to MAS`);
    for (const path of SYNAPSE_PATHS) if (pattern.test(path)) problems.push(`MAS_ENABLED=true: ${path} must stay with Synapse`);
  }
  return problems;
}

describe("client/Caddyfile with the Matrix Authentication Service", () => {
  it("sends login, logout and refresh to MAS and serves MAS's host only when MAS_ENABLED=true", () => {
    expect(masViolations(caddyfile)).toEqual([]);
    // With MAS off, the stack's routes are exactly those of the rules above.
    expect(caddyViolations(asCaddyReadsIt(caddyfile, "false"))).toEqual([]);
    expect(caddyViolations(asCaddyReadsIt(caddyfile, "true"))).toEqual([]);
  });

  const mutations: [string, (text: string) => string, RegExp][] = [
    ["sync sent to MAS", (t) => t.replace("(login|logout|refresh)(/.*)?$", "(login|logout|refresh|sync)(/.*)?$"), /\/v3\/sync must stay with Synapse/],
    ["a prefix match that catches /loginx", (t) => t.replace("(login|logout|refresh)(/.*)?$", "(login|logout|refresh)"), /\/v3\/loginx must stay with Synapse/],
    ["the SSO redirect left to Synapse", (t) => t.replace("(login|logout|refresh)(/.*)?$", "(login|logout|refresh)$"), /login\/sso\/redirect must go to MAS/],
    ["a snippet name that does not exist", (t) => t.replace("(mas_compat_false) {", "(mas_compat_off) {"), /MAS_ENABLED=false: imports a snippet that does not exist/],
    ["MAS's host served with MAS off", (t) => t.replace("(mas_site_false) {\n}", "(mas_site_false) {\n\t{$MAS_HOST} {\n\t\trespond 404\n\t}\n}"), /MAS_ENABLED=false: no MAS site/],
    ["MAS's host sent elsewhere", (t) => t.replace("\t\t\treverse_proxy mas:8080", "\t\t\treverse_proxy synapse:8008"), /must send everything to mas:8080/],
  ];
  it.each(mutations)("catches %s", (_label, mutate, expected) => {
    const mutated = mutate(caddyfile);
    expect(mutated).not.toBe(caddyfile);
    expect(masViolations(mutated).join("\n")).toMatch(expected);
  });
});
