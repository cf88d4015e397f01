// The MatrixRTC authorisation service's settings, from its environment (docker-compose.yml,
// scripts/start.ts), validated once before it starts; each problem is named by its variable.
// Secrets are read from files, never from the environment itself.
import { z } from "zod";
import { ConfigError, describeIssues, readSecret } from "../core/config.ts";

const emptyAsMissing = (value: unknown): unknown => (typeof value === "string" && value.trim() === "" ? undefined : value);
const variable = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsMissing, schema);
const url = (protocols: readonly string[], example: string) =>
  z.string({ error: "missing" }).refine((v) => URL.canParse(v) && protocols.includes(new URL(v).protocol), `a URL like ${example}`);
const serverName = z.string({ error: "missing" }).regex(/^[A-Za-z0-9.-]+(:\d+)?$/, "a server name like cpts-exemple.fr");
const file = z.string({ error: "missing: the path of a file holding the secret" }).min(1);

const EnvSchema = z.object({
  RTC_AUTH_HOST: variable(z.string().default("127.0.0.1")),
  RTC_AUTH_PORT: variable(z.coerce.number().int().min(0).max(65535).default(8090)),
  RTC_AUTH_SERVER_NAME: variable(serverName),
  RTC_AUTH_HOMESERVER_URL: variable(url(["http:", "https:"], "http://synapse:8008 (where Synapse serves /_matrix/federation/v1/openid/userinfo)")),
  RTC_AUTH_TOKEN_TTL_SECONDS: variable(z.coerce.number().int().min(30).max(86_400).default(600)),
  LIVEKIT_URL: variable(url(["ws:", "wss:"], "wss://matrix.cpts-exemple.fr/livekit/sfu (what browsers connect to)")),
  LIVEKIT_API_URL: variable(url(["http:", "https:"], "http://livekit:7880 (LiveKit's API, to open rooms)").optional()),
  LIVEKIT_KEY_FILE: variable(file),
  RTC_AUTH_DIRECTORY_URL: variable(url(["http:", "https:"], "http://bots:8081 (the annuaire bot's /policy/members)")),
  RTC_AUTH_DIRECTORY_TOKEN_FILE: variable(file),
  RTC_AUTH_WITNESS_URLS: variable(
    z
      .string({ error: "missing: the bots that answer who is in a room, comma-separated, like http://bots:8083,http://bots:8082" })
      .transform((v) => v.split(",").map((s) => s.trim()).filter((s) => s !== ""))
      .pipe(z.array(url(["http:", "https:"], "http://bots:8083")).min(1)),
  ),
  RTC_AUTH_WITNESS_TOKEN_FILE: variable(file),
});

export interface RtcAuthOptions {
  readonly host: string;
  readonly port: number;
  readonly serverName: string;
  readonly homeserverUrl: string;
  readonly tokenTtlSeconds: number;
  /** Given to the clients: where they open the media connection. */
  readonly liveKitUrl: string;
  /** LiveKit's server API (rooms are opened by this service only). */
  readonly liveKitApiUrl: string;
  readonly liveKitKey: string;
  readonly liveKitSecret: string;
  readonly directoryUrl: string;
  readonly directoryToken: string;
  readonly witnessUrls: readonly string[];
  readonly witnessToken: string;
}

export function rtcAuthOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): RtcAuthOptions {
  const picked = Object.fromEntries(Object.keys(EnvSchema.shape).map((name) => [name, env[name]]));
  const result = EnvSchema.safeParse(picked);
  if (!result.success) throw new ConfigError(`invalid MatrixRTC authorisation settings:\n${describeIssues(result.error.issues)}`);
  const v = result.data;
  return {
    host: v.RTC_AUTH_HOST,
    port: v.RTC_AUTH_PORT,
    serverName: v.RTC_AUTH_SERVER_NAME,
    homeserverUrl: v.RTC_AUTH_HOMESERVER_URL.replace(/\/+$/, ""),
    tokenTtlSeconds: v.RTC_AUTH_TOKEN_TTL_SECONDS,
    liveKitUrl: v.LIVEKIT_URL,
    liveKitApiUrl: v.LIVEKIT_API_URL ?? v.LIVEKIT_URL.replace(/^ws/, "http"),
    ...liveKitKeyPair(readSecret(v.LIVEKIT_KEY_FILE, "LIVEKIT_KEY_FILE")),
    directoryUrl: v.RTC_AUTH_DIRECTORY_URL.replace(/\/+$/, ""),
    directoryToken: readSecret(v.RTC_AUTH_DIRECTORY_TOKEN_FILE, "RTC_AUTH_DIRECTORY_TOKEN_FILE"),
    witnessUrls: v.RTC_AUTH_WITNESS_URLS.map((u) => u.replace(/\/+$/, "")),
    witnessToken: readSecret(v.RTC_AUTH_WITNESS_TOKEN_FILE, "RTC_AUTH_WITNESS_TOKEN_FILE"),
  };
}

/** LiveKit's own key file (its `key_file`): `key: secret` lines; the service signs with the first. */
function liveKitKeyPair(text: string): { liveKitKey: string; liveKitSecret: string } {
  const line = text.split("\n").map((l) => l.trim()).find((l) => l !== "" && !l.startsWith("#")) ?? "";
  const match = /^([^:\s]+):\s*(\S{32,})$/.exec(line);
  if (!match) throw new ConfigError("LIVEKIT_KEY_FILE: expected LiveKit's key file, a line `key: secret` with a secret of 32 characters or more");
  return { liveKitKey: match[1]!, liveKitSecret: match[2]! };
}
