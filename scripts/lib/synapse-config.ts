// Builds `<dataDir>/homeserver.yaml`: the committed policy (synapse-config/<mode>.yaml)
// plus the machine-specific keys that must not be committed (paths, port, secrets).
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { REPO_ROOT } from "./synapse-install.ts";

export type SynapseMode = "local" | "test";

export interface SynapseSecrets {
  registration_shared_secret: string;
  macaroon_secret_key: string;
  form_secret: string;
}

export interface SynapsePaths {
  dataDir: string;
  config: string;
  logConfig: string;
  log: string;
  database: string;
  mediaStore: string;
  signingKey: string;
  pidFile: string;
  secrets: string;
}

export interface PreparedConfig {
  paths: SynapsePaths;
  serverName: string;
  secrets: SynapseSecrets;
  baseUrl: string;
}

type Yaml = Record<string, unknown>;

/** An entry of Synapse's `modules:` list, e.g. the CPTS policy (synapse-config/cpts_policy). */
export interface SynapseModule {
  module: string;
  config: Record<string, unknown>;
}

/** Where the CPTS policy module asks whether an account is a verified member (the annuaire bot's endpoint). */
export interface PolicyDirectory {
  /** Base URL of `GET /policy/members/:userId`, e.g. http://127.0.0.1:9102. */
  url: string;
  /** File holding the bearer token (the annuaire's options.policyApiTokenFile). */
  tokenFile: string;
}

export const POLICY_MODULE = "cpts_policy.CptsPolicy";

/**
 * The policy file's modules, with the machine-specific address and token of the directory
 * added to the CPTS policy module's `directory` section.
 */
function modulesWithDirectory(mode: SynapseMode, policy: Yaml, directory: PolicyDirectory | undefined): unknown[] | undefined {
  if (policy.modules === undefined) return undefined;
  if (!Array.isArray(policy.modules)) throw new Error(`${policyPath(mode)}: modules must be a list`);
  return (policy.modules as Yaml[]).map((entry) => {
    if (entry.module !== POLICY_MODULE) return entry;
    if (!directory) {
      throw new Error(`${policyPath(mode)} loads ${POLICY_MODULE}: the directory's policy URL and token file are needed to start Synapse`);
    }
    const config = (entry.config ?? {}) as Yaml;
    return { ...entry, config: { ...config, directory: { ...(config.directory as Yaml), url: directory.url, token_file: directory.tokenFile } } };
  });
}

export function synapsePaths(dataDir: string): SynapsePaths {
  return {
    dataDir,
    config: join(dataDir, "homeserver.yaml"),
    logConfig: join(dataDir, "log.config.yaml"),
    log: join(dataDir, "synapse.log"),
    database: join(dataDir, "homeserver.db"),
    mediaStore: join(dataDir, "media_store"),
    signingKey: join(dataDir, "signing.key"),
    pidFile: join(dataDir, "synapse.pid"),
    secrets: join(dataDir, "secrets.json"),
  };
}

export function policyPath(mode: SynapseMode): string {
  return join(REPO_ROOT, "synapse-config", `${mode}.yaml`);
}

export async function readPolicyText(mode: SynapseMode): Promise<string> {
  return readFile(policyPath(mode), "utf8");
}

function parsePolicy(mode: SynapseMode, text: string): Yaml {
  const policy: unknown = parse(text);
  if (typeof policy !== "object" || policy === null || Array.isArray(policy)) {
    throw new Error(`${policyPath(mode)}: expected a YAML mapping at the top level`);
  }
  const p = policy as Yaml;
  if (typeof p.server_name !== "string" || p.server_name === "") {
    throw new Error(`${policyPath(mode)}: server_name must be a non-empty string`);
  }
  if (!Array.isArray(p.listeners) || p.listeners.length !== 1) {
    throw new Error(`${policyPath(mode)}: listeners must hold exactly one (client) listener`);
  }
  return p;
}

// Secrets are generated once per data directory so a restart keeps access tokens,
// and the shared secret other scripts read stays valid.
export async function loadOrCreateSecrets(path: string): Promise<SynapseSecrets> {
  if (existsSync(path)) {
    return JSON.parse(await readFile(path, "utf8")) as SynapseSecrets;
  }
  const secret = (): string => randomBytes(32).toString("base64url");
  const secrets: SynapseSecrets = {
    registration_shared_secret: secret(),
    macaroon_secret_key: secret(),
    form_secret: secret(),
  };
  await writeFile(path, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600, flag: "wx" });
  return secrets;
}

// Synapse's own log goes to stderr, which the runner redirects to synapse.log.
function logConfig(mode: SynapseMode): string {
  const level = mode === "test" ? "WARNING" : "INFO";
  return stringify({
    version: 1,
    formatters: {
      precise: { format: "%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(request)s - %(message)s" },
    },
    handlers: { console: { class: "logging.StreamHandler", formatter: "precise" } },
    loggers: {
      // SQL statement logging would include row values: never above WARNING.
      "synapse.storage.SQL": { level: "WARNING" },
    },
    root: { level, handlers: ["console"] },
    disable_existing_loggers: false,
  });
}

export async function writeHomeserverConfig(opts: {
  mode: SynapseMode;
  dataDir: string;
  port: number;
  /** Replaces the mode's `modules` (importable from synapse-config/, see synapse-process.ts). */
  modules?: readonly SynapseModule[];
  /** Needed when the mode's policy loads the CPTS policy module (both committed policies do). */
  policyDirectory?: PolicyDirectory;
  /** Synapse's `oidc_providers` list, e.g. the production Pro Santé Connect entry rendered for a test provider. */
  oidcProviders?: readonly Record<string, unknown>[];
  /**
   * The MatrixRTC authorisation service (bots/calls) announced to clients by the homeserver
   * itself (MSC4143 `rtc/transports`), for the local system which has no .well-known.
   */
  matrixRtcServiceUrl?: string;
}): Promise<PreparedConfig> {
  const paths = synapsePaths(opts.dataDir);
  await mkdir(paths.dataDir, { recursive: true, mode: 0o700 });
  await mkdir(paths.mediaStore, { recursive: true });
  const policy = parsePolicy(opts.mode, await readPolicyText(opts.mode));
  const secrets = await loadOrCreateSecrets(paths.secrets);
  const baseUrl = `http://127.0.0.1:${opts.port}`;

  const listeners = (policy.listeners as Yaml[]).map((l) => ({ ...l, port: opts.port }));
  const database = { ...(policy.database as Yaml), args: { database: paths.database } };
  const modules = opts.modules ?? modulesWithDirectory(opts.mode, policy, opts.policyDirectory);
  const config: Yaml = {
    ...policy,
    public_baseurl: `${baseUrl}/`,
    listeners,
    database,
    media_store_path: paths.mediaStore,
    log_config: paths.logConfig,
    signing_key_path: paths.signingKey,
    pid_file: paths.pidFile,
    ...secrets,
    ...(modules ? { modules } : {}),
    ...(opts.oidcProviders ? { oidc_providers: opts.oidcProviders } : {}),
    ...(opts.matrixRtcServiceUrl
      ? {
          matrix_rtc: { transports: [{ type: "livekit", livekit_service_url: opts.matrixRtcServiceUrl }] },
          experimental_features: { ...(policy.experimental_features as Yaml | undefined), msc4143_enabled: true },
        }
      : {}),
  };

  await writeFile(paths.logConfig, logConfig(opts.mode));
  const header = `# Generated by scripts/lib/synapse.ts from synapse-config/${opts.mode}.yaml; edits are overwritten.\n`;
  await writeFile(paths.config, header + stringify(config, { aliasDuplicateObjects: false }), { mode: 0o600 });
  return { paths, serverName: policy.server_name as string, secrets, baseUrl };
}
