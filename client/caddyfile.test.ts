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
  const source = text.replace(/(^|\s)#.*$/gm, "$1").replace(/\{\$(\w+)\}/g, "\u0000$1\u0001");
  const restore = (part: string): string => part.replace(/\u0000(\w+)\u0001/g, "{$$$1}");
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

/** `handle <matcher> { ... }` of a site, by matcher ("" for the catch-all). */
function handlers(body: string): Map<string, string> {
  return new Map(blocksOf(body).filter((b) => /^handle\b/.test(b.head)).map((b) => [b.head.replace(/^handle\s*/, ""), b.body]));
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
    expect(heads).toEqual(["(matrix_well_known)", "(cpts_logo)", "(security_headers)", SITES.apex, SITES.matrix, SITES.element, "http://localhost:2080"]);
  });

  const mutations: [string, (text: string) => string, RegExp][] = [
    ["no CORS on the well-known", (t) => t.replace('header Access-Control-Allow-Origin "*"\n', ""), /Access-Control-Allow-Origin/],
    ["the client API to the wrong port", (t) => t.replace("handle /_matrix/* {\n\t\treverse_proxy synapse:8008", "handle /_matrix/* {\n\t\treverse_proxy synapse:8448"), /\/_matrix\/\* must go to synapse:8008/],
    ["Synapse's admin API exposed", (t) => t.replace("handle /_synapse/client/* {", "handle /_synapse/* {"), /\/_synapse\/\*: exposes more of Synapse/],
    ["no onboarding page", (t) => t.replace("handle /bienvenue/* {", "handle /accueil/* {"), /does not serve \/bienvenue\/index\.html/],
    ["the logo missing on Element's host", (t) => t.replace("import security_headers\n\timport cpts_logo\n\thandle {", "import security_headers\n\thandle {"), /does not serve the logo of config\.json/],
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
