// The Matrix Authentication Service (MAS) configuration of the production stack, without any
// server: synapse-config/mas/config.template.yaml rendered by the stack's own renderer with
// the environment docker-compose.yml gives the `mas-config` service (from .env.example),
// then checked three ways:
//   1. against MAS's published configuration schema (MAS 1.22.0, copied into the repo with
//      its provenance in synapse-config/mas/README.md);
//   2. against the checks MAS and syn2mas make beyond the schema (their Rust source, cited);
//   3. against the Synapse side, rendered from homeserver.production.yaml with the `synapse`
//      service's environment: same homeserver, same shared secret file, each one's endpoint
//      pointing at the other's service and port, the same Pro Santé Connect client and claim
//      mapping as Synapse's own oidc_providers entry, and the issuer the well-known file
//      advertises. Synapse's own loader reads the rendered file in synapse-config/tests.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { clientWellKnown } from "../client/element/well-known.ts";
import { exampleBranding, exampleEnv } from "../client/element/example-env.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MAS_DIR = join(ROOT, "synapse-config/mas");
const read = (path: string): string => readFileSync(join(ROOT, path), "utf8");

// --- the stack's environment, as `docker compose config` interpolates it ---------------------

type Json = Record<string, unknown>;
interface Service {
  environment?: Record<string, string | number | boolean | null>;
  secrets?: (string | { source: string })[];
}

/** MAS on, with Pro Santé Connect: the set-up this file is about. */
const MAS_WITH_PSC = { MAS_ENABLED: "true", COMPOSE_PROFILES: "mas", PSC_ENABLED: "true", PSC_CLIENT_ID: "cpts-exemple" };

function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g, (whole, name: string, colon: string, op: string, arg: string) => {
    if (whole === "$$") return "$";
    const raw = env[name];
    if (raw !== undefined && !(colon === ":" && raw === "")) return raw;
    if (op === "?") throw new Error(`${name} is required: ${arg}`);
    return op === "-" ? arg : "";
  });
}

function composeService(name: string): Service {
  const services = (parseYaml(read("docker-compose.yml")) as { services: Record<string, Service> }).services;
  const service = services[name];
  if (!service) throw new Error(`docker-compose.yml has no ${name} service`);
  return service;
}

/** The environment a compose service gets from .env.example plus `overrides`. */
function serviceEnv(name: string, overrides: Record<string, string>): Record<string, string> {
  const dotEnv = exampleEnv(overrides);
  return Object.fromEntries(Object.entries(composeService(name).environment ?? {}).map(([key, value]) => [key, interpolate(String(value ?? ""), dotEnv)]));
}

const secretsOf = (name: string): string[] => (composeService(name).secrets ?? []).map((s) => (typeof s === "string" ? s : s.source));

// --- rendering with the stack's renderer ---------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), "mas-config-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const PYTHON = existsSync(join(ROOT, ".venv-synapse/bin/python")) ? join(ROOT, ".venv-synapse/bin/python") : "python3";
let renders = 0;

/**
 * Renders a template as its container does. The renderer reads `X_FILE` secrets itself (the
 * database password): those get example files here; every other secret stays a
 * /run/secrets path, read by Synapse or MAS, and is compared as a path.
 */
function render(template: string, env: Record<string, string>): Json {
  const out = join(work, `rendered-${++renders}.yaml`);
  const withFiles = Object.fromEntries(
    Object.entries(env).map(([key, value]) => {
      if (!key.endsWith("_FILE")) return [key, value];
      const file = join(work, `${key}-${renders}`);
      writeFileSync(file, `example-${key.toLowerCase()}\n`);
      return [key, file];
    }),
  );
  const result = spawnSync(PYTHON, [join(ROOT, "synapse-config/render_config.py"), "--template", join(ROOT, template), "--output", out], {
    env: { PATH: process.env["PATH"] ?? "", ...withFiles },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`render_config.py failed: ${result.stderr}`);
  return parseYaml(readFileSync(out, "utf8")) as Json;
}

const MAS_TEMPLATE = "synapse-config/mas/config.template.yaml";
const SYNAPSE_TEMPLATE = "synapse-config/homeserver.production.yaml";
const renderMas = (overrides: Record<string, string> = {}): Json => render(MAS_TEMPLATE, serviceEnv("mas-config", { ...MAS_WITH_PSC, ...overrides }));
const renderSynapse = (overrides: Record<string, string> = {}): Json => render(SYNAPSE_TEMPLATE, serviceEnv("synapse", { ...MAS_WITH_PSC, ...overrides }));

// --- 1. MAS's published schema --------------------------------------------------------------------

const SCHEMA_FILE = join(MAS_DIR, "mas-config.schema.json");

function masSchemaValidator() {
  const ajv = new Ajv.default({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats.default(ajv);
  // schemars' integer formats (Rust types) and `ip` (an address or a CIDR range, for
  // http.trusted_proxies): the bounds come with minimum/maximum in the schema.
  for (const format of ["uint", "uint8", "uint16", "uint32", "uint64"]) ajv.addFormat(format, { type: "number", validate: (n: number) => Number.isInteger(n) && n >= 0 });
  ajv.addFormat("ip", /^(?:[0-9.]+|[0-9a-fA-F:.]+)(?:\/\d{1,3})?$/);
  return ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as object);
}

// --- 2. what MAS and syn2mas check beyond the schema ---------------------------------------------

interface Provider {
  id?: string;
  synapse_idp_id?: string;
  issuer?: string;
  discovery_mode?: string;
  client_id?: string;
  client_secret?: string;
  client_secret_file?: string;
  token_endpoint_auth_method?: string;
  scope?: string;
  fetch_userinfo?: boolean;
  authorization_endpoint?: string;
  token_endpoint?: string;
  userinfo_endpoint?: string;
  jwks_uri?: string;
  registration_token_required?: boolean;
  claims_imports?: {
    skip_confirmation?: boolean;
    subject?: { template?: string };
    localpart?: { action?: string; template?: string; on_conflict?: string };
    displayname?: { action?: string; template?: string };
    email?: { action?: string };
  };
}
const providersOf = (mas: Json): Provider[] => ((mas["upstream_oauth2"] as { providers?: Provider[] } | undefined)?.providers ?? []);

/**
 * The validation MAS runs when it loads `upstream_oauth2` (crates/config/src/sections/
 * upstream_oauth2.rs, `validate`) and what `mas-cli syn2mas check` refuses
 * (crates/syn2mas/src/synapse_reader/checks.rs), for the keys this template uses.
 */
function masRuleViolations(mas: Json, synapse: Json): string[] {
  const problems: string[] = [];
  for (const [index, provider] of providersOf(mas).entries()) {
    const at = `upstream_oauth2.providers.${index}`;
    const claims = provider.claims_imports ?? {};
    if ((provider.discovery_mode ?? "oidc") !== "disabled" && !provider.issuer) problems.push(`${at}: issuer is required when discovery is enabled`);
    if (["client_secret_basic", "client_secret_post", "client_secret_jwt"].includes(provider.token_endpoint_auth_method ?? "") && !provider.client_secret && !provider.client_secret_file) {
      problems.push(`${at}: client_secret is required by ${provider.token_endpoint_auth_method}`);
    }
    if (claims.skip_confirmation) {
      if (claims.localpart?.action !== "require") problems.push(`${at}.claims_imports.localpart: action must be require when skip_confirmation is true`);
      for (const key of ["displayname", "email"] as const) {
        if (claims[key]?.action === "suggest") problems.push(`${at}.claims_imports.${key}: action must not be suggest when skip_confirmation is true`);
      }
    }
    if (["add", "replace", "set"].includes(claims.localpart?.on_conflict ?? "fail") && !["force", "require"].includes(claims.localpart?.action ?? "ignore")) {
      problems.push(`${at}.claims_imports.localpart: action must be force or require with on_conflict ${claims.localpart?.on_conflict}`);
    }
  }
  // syn2mas: Synapse's bcrypt hashes are imported as password scheme version 1.
  const schemes = ((mas["passwords"] as { schemes?: { version: number; algorithm: string; secret?: string }[] } | undefined)?.schemes ?? []);
  const migrated = schemes.find((scheme) => scheme.version === 1);
  if (!migrated) problems.push("passwords.schemes: no version 1 (syn2mas imports Synapse's hashes as version 1)");
  else if (migrated.algorithm !== "bcrypt") problems.push("passwords.schemes: version 1 must be bcrypt (Synapse's hashes)");
  const pepper = (synapse["password_config"] as { pepper?: string } | undefined)?.pepper;
  if (migrated && migrated.secret !== pepper) problems.push("passwords.schemes: version 1's secret must be Synapse's password_config.pepper");
  const homeserver = (mas["matrix"] as { homeserver?: string } | undefined)?.homeserver;
  if (homeserver !== synapse["server_name"]) problems.push(`matrix.homeserver (${homeserver}) must be Synapse's server_name (${String(synapse["server_name"])})`);
  if (synapse["allow_guest_access"] !== false) problems.push("Synapse: guest access must be off (MAS has no guests)");
  return problems;
}

// --- 3. the two sides agree ------------------------------------------------------------------------

interface OidcProvider {
  idp_id: string;
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
  client_id: string;
  client_secret_path: string;
  client_auth_method: string;
  scopes: string[];
  user_profile_method?: string;
  enable_registration?: boolean;
  allow_existing_users?: boolean;
  user_mapping_provider: { config: { subject_template: string; localpart_template: string; display_name_template: string; confirm_localpart?: boolean } };
}

/** `http://service:port/` → [service, port]. */
function serviceAndPort(url: string): [string, number] {
  const parsed = new URL(url);
  return [parsed.hostname, Number(parsed.port || (parsed.protocol === "https:" ? 443 : 80))];
}

const SECRET_PATH = /^\/run\/secrets\/([A-Za-z0-9._-]+)$/;

/** Every /run/secrets/<name> a rendered config names. */
function secretFilesOf(value: unknown): string[] {
  if (typeof value === "string") return SECRET_PATH.test(value) ? [SECRET_PATH.exec(value)![1]!] : [];
  if (Array.isArray(value)) return value.flatMap(secretFilesOf);
  if (value && typeof value === "object") return Object.values(value).flatMap(secretFilesOf);
  return [];
}

/**
 * What must hold between Synapse delegating to MAS (`synapse`), Synapse's own PSC provider
 * in the Synapse-only set-up (`synapseSso`, the mapping MAS must keep) and MAS (`mas`).
 */
function agreementViolations(synapse: Json, synapseSso: Json, mas: Json, issuerAdvertised: string | undefined): string[] {
  const problems: string[] = [];
  const delegation = synapse["matrix_authentication_service"] as { enabled?: boolean; endpoint?: string; secret_path?: string } | undefined;
  const matrix = (mas["matrix"] ?? {}) as { homeserver?: string; endpoint?: string; secret_file?: string; secret?: string };
  const http = (mas["http"] ?? {}) as { public_base?: string; issuer?: string; listeners?: { resources: { name: string }[]; binds: { address?: string; port?: number }[] }[] };
  if (delegation?.enabled !== true) return ["Synapse: matrix_authentication_service.enabled must be true with MAS_ENABLED=true"];

  // The shared secret: one file, given to both services.
  if (matrix.secret !== undefined) problems.push("MAS: matrix.secret inline; use secret_file");
  if (!delegation.secret_path || delegation.secret_path !== matrix.secret_file) problems.push(`shared secret: Synapse reads ${delegation.secret_path}, MAS ${matrix.secret_file}`);
  const sharedSecret = SECRET_PATH.exec(delegation.secret_path ?? "")?.[1];
  if (!sharedSecret || !secretsOf("synapse").includes(sharedSecret) || !secretsOf("mas").includes(sharedSecret)) {
    problems.push("shared secret: must be a Docker secret given to both the synapse and the mas services");
  }
  for (const [service, config] of [["mas", mas], ["synapse", synapse]] as const) {
    for (const name of secretFilesOf(config)) if (!secretsOf(service).includes(name)) problems.push(`${service}: reads /run/secrets/${name}, a secret the service is not given`);
  }

  // Each one's endpoint is the other's service and port in the compose network.
  const [masHost, masPort] = serviceAndPort(delegation.endpoint ?? "");
  const masListener = http.listeners?.find((l) => l.binds.some((b) => b.port === masPort || b.address?.endsWith(`:${masPort}`)));
  if (masHost !== "mas" || !masListener) problems.push(`Synapse: matrix_authentication_service.endpoint ${delegation.endpoint} is not a port MAS listens on in the mas service`);
  // Synapse reads MAS's discovery document there and introspects tokens (oauth).
  for (const resource of ["discovery", "oauth"]) {
    if (masListener && !masListener.resources.some((r) => r.name === resource)) problems.push(`MAS: the listener Synapse calls must serve ${resource}`);
  }
  const [synapseHost, synapsePort] = serviceAndPort(matrix.endpoint ?? "");
  const synapseListeners = (synapse["listeners"] as { port: number; resources: { names: string[] }[] }[] | undefined) ?? [];
  if (synapseHost !== "synapse" || !synapseListeners.some((l) => l.port === synapsePort && l.resources.some((r) => r.names.includes("client")))) {
    problems.push(`MAS: matrix.endpoint ${matrix.endpoint} is not Synapse's client listener in the synapse service`);
  }
  if (matrix.homeserver !== synapse["server_name"]) problems.push("MAS: matrix.homeserver must be Synapse's server_name");

  // The issuer members' clients see: MAS's, on its public host, as the well-known says.
  const issuer = http.issuer ?? http.public_base;
  if (issuerAdvertised !== issuer) problems.push(`well-known: advertises issuer ${issuerAdvertised}, MAS's is ${issuer}`);

  // Synapse gives up its own SSO, keeps QR-code login served; MAS approves the new device.
  if (synapse["oidc_providers"] !== undefined) problems.push("Synapse: oidc_providers must be gone when MAS signs members in");
  if ((synapse["experimental_features"] as { msc4108_enabled?: boolean } | undefined)?.msc4108_enabled !== true) problems.push("Synapse: experimental_features.msc4108_enabled (QR-code login) must be true");
  if ((mas["oauth"] as { device_code_grant_enabled?: boolean } | undefined)?.device_code_grant_enabled !== true) problems.push("MAS: oauth.device_code_grant_enabled (QR-code login) must be true");

  // Pro Santé Connect: the same client, endpoints and mapping as Synapse's own provider.
  const psc = (synapseSso["oidc_providers"] as OidcProvider[] | undefined)?.[0];
  const upstream = providersOf(mas).find((p) => p.synapse_idp_id === `oidc-${psc?.idp_id}`);
  if (!psc) return [...problems, "Synapse-only set-up: no PSC provider to compare with"];
  if (!upstream) return [...problems, `MAS: no upstream provider with synapse_idp_id oidc-${psc.idp_id} (syn2mas could not move the PSC links)`];
  const same: [string, unknown, unknown][] = [
    ["issuer", upstream.issuer, psc.issuer],
    ["authorization_endpoint", upstream.authorization_endpoint, psc.authorization_endpoint],
    ["token_endpoint", upstream.token_endpoint, psc.token_endpoint],
    ["userinfo_endpoint", upstream.userinfo_endpoint, psc.userinfo_endpoint],
    ["jwks_uri", upstream.jwks_uri, psc.jwks_uri],
    ["client_id", upstream.client_id, psc.client_id],
    ["client_secret_file", upstream.client_secret_file, psc.client_secret_path],
    ["token_endpoint_auth_method", upstream.token_endpoint_auth_method, psc.client_auth_method],
    ["scope", upstream.scope, psc.scopes.join(" ")],
    ["fetch_userinfo", upstream.fetch_userinfo === true, psc.user_profile_method === "userinfo_endpoint"],
    ["claims_imports.subject.template", upstream.claims_imports?.subject?.template, psc.user_mapping_provider.config.subject_template],
    ["claims_imports.localpart.template", upstream.claims_imports?.localpart?.template, psc.user_mapping_provider.config.localpart_template],
    ["claims_imports.displayname.template", upstream.claims_imports?.displayname?.template, psc.user_mapping_provider.config.display_name_template],
    // confirm_localpart: false — nobody picks another name than ps + IdNat.
    ["claims_imports.skip_confirmation", upstream.claims_imports?.skip_confirmation === true, psc.user_mapping_provider.config.confirm_localpart === false],
    ["claims_imports.localpart.action", upstream.claims_imports?.localpart?.action, "require"],
    ["claims_imports.displayname.action", upstream.claims_imports?.displayname?.action, "force"],
    // allow_existing_users: the first PSC login links the account the CPTS created.
    ["claims_imports.localpart.on_conflict add", upstream.claims_imports?.localpart?.on_conflict === "add", psc.allow_existing_users === true],
    // enable_registration false: no account is created by PSC without the coordination.
    ["registration_token_required", upstream.registration_token_required === true, psc.enable_registration === false],
  ];
  for (const [key, masValue, synapseValue] of same) {
    if (masValue !== synapseValue) problems.push(`PSC: MAS ${key} is ${JSON.stringify(masValue)}, Synapse's provider has ${JSON.stringify(synapseValue)}`);
  }
  return problems;
}

// --- tests -------------------------------------------------------------------------------------------

const advertisedIssuer = (overrides: Record<string, string> = {}): string | undefined =>
  clientWellKnown(exampleBranding({ ...MAS_WITH_PSC, ...overrides }))["org.matrix.msc2965.authentication"]?.issuer;

describe("MAS configuration (synapse-config/mas/config.template.yaml)", () => {
  const validate = masSchemaValidator();
  const mas = renderMas();
  const synapse = renderSynapse();
  const synapseSso = renderSynapse({ MAS_ENABLED: "false" });

  it("is the schema MAS 1.22.0 publishes, unchanged (provenance in synapse-config/mas/README.md)", () => {
    const digest = createHash("sha256").update(readFileSync(SCHEMA_FILE)).digest("hex");
    expect(read("synapse-config/mas/README.md")).toContain(digest);
    // Where the shared reference copy sits beside the clone, it is the same file.
    const shared = join(ROOT, "../shared/reference/mas-config.schema.json");
    if (existsSync(shared)) expect(readFileSync(shared, "utf8")).toBe(readFileSync(SCHEMA_FILE, "utf8"));
  });

  it("renders, with the compose environment of .env.example, into a config MAS's schema accepts", () => {
    const ok = validate(mas);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // The validator does refuse what MAS refuses.
    const broken = structuredClone(mas) as Json & { upstream_oauth2: { providers: Json[] } };
    broken.upstream_oauth2.providers[0]!["id"] = "psc";
    broken["matrix"] = { ...(broken["matrix"] as Json), kind: "dendrite" };
    delete broken["secrets"];
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((e) => `${e.instancePath} ${e.message}`)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/upstream_oauth2\/providers\/0\/id must match pattern/),
        expect.stringMatching(/^\/matrix\/kind must match exactly one schema in oneOf/),
        expect.stringMatching(/^ must have required property 'secrets'/),
      ]),
    );
  });

  it("holds no secret, only the files MAS reads them from", () => {
    const text = JSON.stringify(mas);
    expect(text).not.toMatch(/example-/);
    expect(secretFilesOf(mas).sort()).toEqual(["mas_db_password", "mas_encryption_secret", "mas_signing_key_ec", "mas_signing_key_rsa", "mas_synapse_secret", "psc_client_secret"]);
  });

  it("passes the checks MAS and syn2mas make beyond the schema", () => {
    expect(masRuleViolations(mas, synapseSso)).toEqual([]);
  });

  it("agrees with the Synapse side: homeserver, shared secret, endpoints, issuer, and PSC's client and mapping", () => {
    expect(agreementViolations(synapse, synapseSso, mas, advertisedIssuer())).toEqual([]);
    const [psc] = providersOf(mas);
    expect(psc).toMatchObject({
      synapse_idp_id: "oidc-psc",
      client_id: "cpts-exemple",
      issuer: "https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet",
    });
    expect((mas["http"] as Json)["public_base"]).toBe("https://auth.cpts-exemple.fr/");
  });

  it("keeps the agreement when PSC creates no accounts, or with the production PSC", () => {
    const noCreation = { PSC_CREATE_ACCOUNTS: "false" };
    expect(agreementViolations(renderSynapse(noCreation), renderSynapse({ ...noCreation, MAS_ENABLED: "false" }), renderMas(noCreation), advertisedIssuer())).toEqual([]);
    expect(providersOf(renderMas(noCreation))[0]?.registration_token_required).toBe(true);
    const production = { PSC_AUTH_BASE_URL: "https://auth.esante.gouv.fr", PSC_WALLET_BASE_URL: "https://wallet.esante.gouv.fr" };
    const masProduction = renderMas(production);
    expect(agreementViolations(renderSynapse(production), renderSynapse({ ...production, MAS_ENABLED: "false" }), masProduction, advertisedIssuer())).toEqual([]);
    expect(providersOf(masProduction)[0]?.token_endpoint).toBe("https://auth.esante.gouv.fr/auth/realms/esante-wallet/protocol/openid-connect/token");
  });

  it("without Pro Santé Connect: no upstream provider, still a valid config; passwords stay on", () => {
    const passwordsOnly = renderMas({ PSC_ENABLED: "false" });
    expect(validate(passwordsOnly)).toBe(true);
    expect(passwordsOnly).not.toHaveProperty("upstream_oauth2");
    expect(passwordsOnly["passwords"]).toMatchObject({ enabled: true });
    expect(passwordsOnly["account"]).toMatchObject({ password_registration_enabled: false });
  });

  it("a signed PSC userinfo is declared only when set", () => {
    expect(providersOf(mas)[0]).not.toHaveProperty("userinfo_signed_response_alg");
    const signed = renderMas({ PSC_USERINFO_SIGNED_ALG: "RS256" });
    expect(providersOf(signed)[0]).toHaveProperty("userinfo_signed_response_alg", "RS256");
    expect(validate(signed)).toBe(true);
  });

  const ruleMutations: [string, (mas: Json) => void, RegExp][] = [
    ["a confirmation-free import with a suggested localpart", (m) => (providersOf(m)[0]!.claims_imports!.localpart!.action = "suggest"), /action must be require when skip_confirmation/],
    ["linking existing accounts from an ignored localpart", (m) => Object.assign(providersOf(m)[0]!.claims_imports!, { skip_confirmation: false, localpart: { action: "ignore", on_conflict: "add" } }), /action must be force or require with on_conflict add/],
    ["no client secret", (m) => delete providersOf(m)[0]!.client_secret_file, /client_secret is required by client_secret_basic/],
    ["discovery without an issuer", (m) => Object.assign(providersOf(m)[0]!, { discovery_mode: "oidc", issuer: undefined }), /issuer is required when discovery/],
    ["argon2id as version 1", (m) => ((m["passwords"] as { schemes: { algorithm: string }[] }).schemes[0]!.algorithm = "argon2id"), /version 1 must be bcrypt/],
    ["another homeserver", (m) => ((m["matrix"] as Json)["homeserver"] = "autre.fr"), /matrix\.homeserver \(autre\.fr\) must be Synapse's server_name/],
  ];
  it.each(ruleMutations)("MAS's own checks catch %s", (_label, mutate, expected) => {
    const copy = structuredClone(mas);
    mutate(copy);
    expect(masRuleViolations(copy, synapseSso).join("\n")).toMatch(expected);
  });

  const agreementMutations: [string, (sides: { synapse: Json; sso: Json; mas: Json }) => void, RegExp, string?][] = [
    ["two different secret files", ({ mas: m }) => ((m["matrix"] as Json)["secret_file"] = "/run/secrets/synapse_macaroon_secret_key"), /shared secret: Synapse reads/],
    ["Synapse calling MAS's health port", ({ synapse: s }) => ((s["matrix_authentication_service"] as Json)["endpoint"] = "http://mas:8081/"), /MAS: the listener Synapse calls must serve discovery/],
    ["Synapse calling MAS through the public URL", ({ synapse: s }) => ((s["matrix_authentication_service"] as Json)["endpoint"] = "https://auth.cpts-exemple.fr/"), /is not a port MAS listens on in the mas service/],
    ["MAS calling a port Synapse does not serve", ({ mas: m }) => ((m["matrix"] as Json)["endpoint"] = "http://synapse:8448/"), /is not Synapse's client listener/],
    ["Synapse keeping its own SSO", ({ synapse: s, sso }) => (s["oidc_providers"] = sso["oidc_providers"]), /oidc_providers must be gone/],
    ["no QR-code login", ({ synapse: s }) => delete s["experimental_features"], /msc4108_enabled/],
    ["another PSC client", ({ mas: m }) => (providersOf(m)[0]!.client_id = "autre"), /PSC: MAS client_id is "autre"/],
    ["another localpart mapping", ({ mas: m }) => (providersOf(m)[0]!.claims_imports!.localpart!.template = "{{ user.SubjectNameID }}"), /PSC: MAS claims_imports\.localpart\.template/],
    ["the opaque sub as subject", ({ mas: m }) => (providersOf(m)[0]!.claims_imports!.subject!.template = "{{ user.sub }}"), /PSC: MAS claims_imports\.subject\.template/],
    ["accounts created without the coordination", ({ sso }) => {
      (sso["oidc_providers"] as OidcProvider[])[0]!.enable_registration = false;
    }, /PSC: MAS registration_token_required is false/],
    ["a provider syn2mas cannot match", ({ mas: m }) => (providersOf(m)[0]!.synapse_idp_id = "psc"), /no upstream provider with synapse_idp_id oidc-psc/],
    ["a well-known issuer without the trailing slash", () => undefined, /well-known: advertises issuer https:\/\/auth\.cpts-exemple\.fr,/, "https://auth.cpts-exemple.fr"],
  ];
  it.each(agreementMutations)("the agreement catches %s", (_label, mutate, expected, issuer) => {
    const sides = { synapse: structuredClone(synapse), sso: structuredClone(synapseSso), mas: structuredClone(mas) };
    mutate(sides);
    expect(agreementViolations(sides.synapse, sides.sso, sides.mas, issuer ?? advertisedIssuer()).join("\n")).toMatch(expected);
  });
});
