// The CPTS's own values for the Element client set-up, read from the stack's environment
// (.env), validated once; every problem is named by its variable.
import { extname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { ConfigError, describeIssues } from "../../bots/core/config.ts";

/** What differs from one CPTS to another; everything else in the client set-up is policy. */
export interface CptsBranding {
  /** Shown as the app's name in Element ("CPTS Grand Douai"). */
  name: string;
  /** The end of every Matrix ID (`cpts-exemple.fr`); it hosts the well-known files. */
  serverName: string;
  /** Client-server API base URL, without trailing slash (`https://matrix.cpts-exemple.fr`). */
  homeserverUrl: string;
  /** Element Web of the CPTS, with trailing slash (`https://element.cpts-exemple.fr/`). */
  elementWebUrl: string;
  /** The onboarding page served by the stack (`https://cpts-exemple.fr/bienvenue/`). */
  onboardingUrl: string;
  /** The logo file on disk, copied next to the onboarding page. */
  logoFile: string;
  /** Where Element Web loads the logo from (same origin as Element Web). */
  logoUrl: string;
  helpUrl: string;
  privacyPolicyUrl: string;
  termsUrl?: string;
  /**
   * MatrixRTC backend for Element Call (the LiveKit JWT service); calls are switched off
   * without it, since the only other options are third-party servers.
   */
  callLivekitServiceUrl?: string;
  /** Pro Santé Connect is offered (PSC_ENABLED): the onboarding page says where it works. */
  pscEnabled: boolean;
  /**
   * Sign-in delegated to the Matrix Authentication Service (MAS_ENABLED=true): its issuer
   * and account page, advertised to Element X in the client well-known.
   */
  authentication?: { issuer: string; accountUrl: string };
  /** The CPTS's own Jitsi server, for conference widgets; without it widgets are off (Element would use meet.element.io). */
  jitsiDomain?: string;
}

/** Where the generated site serves the logo, on every host of the stack (client/Caddyfile). */
export const LOGO_PATH = "/branding/logo";
export const ONBOARDING_PATH = "/bienvenue/";
/** The generic logo shipped with the project (client/branding/logo.svg). */
export const DEFAULT_LOGO_FILE = fileURLToPath(new URL("../branding/logo.svg", import.meta.url));

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

const emptyAsMissing = (value: unknown): unknown => (typeof value === "string" && value.trim() === "" ? undefined : value);

/** A string variable; an empty one (`NAME=` in .env) counts as missing. */
const text = () =>
  z.string({ error: (issue) => (issue.input === undefined ? "missing: set it in .env (see .env.example)" : undefined) }).trim();
const variable = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsMissing, schema);

function isHttpsUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === "https:" && HOSTNAME.test(url.hostname) && url.username === "" && url.password === "";
}

/** The renderer's booleans (synapse-config/render_config.py), for PSC_ENABLED. */
const RENDERER_BOOLEAN = /^(true|yes|on|1|false|no|off|0)$/i;
const isTrue = (value: string): boolean => /^(true|yes|on|1)$/i.test(value);

const hostname = (what: string) => variable(text().regex(HOSTNAME, `${what}: a lower-case host name like cpts-exemple.fr, without https:// or path`));
const httpsUrl = () => text().refine(isHttpsUrl, "an https:// URL on a public host name");

/** The variables, named as in .env.example. */
const EnvSchema = z
  .object({
    CPTS_NAME: variable(text().max(60, "at most 60 characters")),
    SYNAPSE_SERVER_NAME: hostname("the server name"),
    SYNAPSE_PUBLIC_BASEURL: variable(
      text().refine((value) => isHttpsUrl(value) && new URL(value).pathname === "/", "the homeserver's https:// URL without a path, like https://matrix.cpts-exemple.fr/"),
    ),
    MATRIX_HOST: hostname("the homeserver's host name"),
    ELEMENT_HOST: hostname("Element Web's host name"),
    CPTS_PRIVACY_URL: variable(httpsUrl()),
    CPTS_HELP_URL: variable(httpsUrl().optional()),
    CPTS_TERMS_URL: variable(httpsUrl().optional()),
    CPTS_LOGO_FILE: variable(
      text()
        .refine((file) => [".svg", ".png"].includes(extname(file).toLowerCase()), "an .svg or .png file")
        .default(DEFAULT_LOGO_FILE),
    ),
    CPTS_CALL_LIVEKIT_URL: variable(httpsUrl().optional()),
    PSC_ENABLED: variable(text().regex(RENDERER_BOOLEAN, "true or false").default("false")),
    // Exactly true or false: the reverse proxy picks its MAS routes by this word.
    MAS_ENABLED: variable(z.enum(["true", "false"], { error: "true or false" }).default("false")),
    MAS_HOST: variable(hostname("MAS's host name").optional()),
    COMPOSE_PROFILES: variable(text().optional()),
    CPTS_JITSI_DOMAIN: variable(text().regex(HOSTNAME, "CPTS_JITSI_DOMAIN: the host name of the CPTS's own Jitsi server, like visio.cpts-exemple.fr").optional()),
  })
  .superRefine((env, ctx) => {
    if (isHttpsUrl(env.SYNAPSE_PUBLIC_BASEURL) && new URL(env.SYNAPSE_PUBLIC_BASEURL).hostname !== env.MATRIX_HOST) {
      ctx.addIssue({ code: "custom", path: ["MATRIX_HOST"], message: "must be the host of SYNAPSE_PUBLIC_BASEURL (the reverse proxy serves the homeserver there)" });
    }
    // Element Web keeps the access token and the encryption keys in its origin's storage:
    // it gets a host of its own, shared with nothing else the proxy serves.
    for (const other of ["MATRIX_HOST", "SYNAPSE_SERVER_NAME"] as const) {
      if (env.ELEMENT_HOST && env.ELEMENT_HOST === env[other]) {
        ctx.addIssue({ code: "custom", path: ["ELEMENT_HOST"], message: `must differ from ${other}: Element Web gets an origin of its own` });
      }
    }
    // MAS: its own host, and its services started (profile "mas") exactly when it is on.
    const masProfile = (env.COMPOSE_PROFILES ?? "").split(",").map((p) => p.trim()).includes("mas");
    if (env.MAS_ENABLED === "true") {
      if (!env.MAS_HOST) ctx.addIssue({ code: "custom", path: ["MAS_HOST"], message: "missing: MAS_ENABLED=true needs MAS's host name (e.g. auth.cpts-exemple.fr)" });
      for (const other of ["MATRIX_HOST", "SYNAPSE_SERVER_NAME", "ELEMENT_HOST"] as const) {
        if (env.MAS_HOST && env.MAS_HOST === env[other]) ctx.addIssue({ code: "custom", path: ["MAS_HOST"], message: `must differ from ${other}: MAS gets a host of its own` });
      }
      if (!masProfile) ctx.addIssue({ code: "custom", path: ["COMPOSE_PROFILES"], message: "must include mas when MAS_ENABLED=true (else the mas service never starts)" });
    } else if (masProfile) {
      ctx.addIssue({ code: "custom", path: ["MAS_ENABLED"], message: "must be true when COMPOSE_PROFILES includes mas (else Synapse does not delegate sign-in to it)" });
    }
  });

/** The variables the client set-up reads. */
const BRANDING_VARIABLES = Object.keys(EnvSchema.shape);

/**
 * Reads the branding from environment variables (unknown ones are ignored: the same .env
 * holds the whole stack's settings). A relative CPTS_LOGO_FILE is resolved from `cwd`.
 */
export function brandingFromEnv(env: Readonly<Record<string, string | undefined>>, cwd: string): CptsBranding {
  const picked = Object.fromEntries(BRANDING_VARIABLES.map((name) => [name, env[name]]));
  const result = EnvSchema.safeParse(picked);
  if (!result.success) throw new ConfigError(`invalid client settings:\n${describeIssues(result.error.issues)}`);
  const values = result.data;
  const onboardingUrl = `https://${values.SYNAPSE_SERVER_NAME}${ONBOARDING_PATH}`;
  const elementWebUrl = `https://${values.ELEMENT_HOST}/`;
  const logoExtension = extname(values.CPTS_LOGO_FILE).toLowerCase();
  return {
    name: values.CPTS_NAME,
    serverName: values.SYNAPSE_SERVER_NAME,
    homeserverUrl: values.SYNAPSE_PUBLIC_BASEURL.replace(/\/+$/, ""),
    elementWebUrl,
    onboardingUrl,
    logoFile: resolve(cwd, values.CPTS_LOGO_FILE),
    logoUrl: new URL(`${LOGO_PATH}${logoExtension}`, elementWebUrl).href,
    helpUrl: values.CPTS_HELP_URL ?? onboardingUrl,
    privacyPolicyUrl: values.CPTS_PRIVACY_URL,
    ...(values.CPTS_TERMS_URL ? { termsUrl: values.CPTS_TERMS_URL } : {}),
    ...(values.CPTS_CALL_LIVEKIT_URL ? { callLivekitServiceUrl: values.CPTS_CALL_LIVEKIT_URL } : {}),
    pscEnabled: isTrue(values.PSC_ENABLED),
    ...(values.MAS_ENABLED === "true" && values.MAS_HOST ? { authentication: masAuthentication(values.MAS_HOST) } : {}),
    ...(values.CPTS_JITSI_DOMAIN ? { jitsiDomain: values.CPTS_JITSI_DOMAIN } : {}),
  };
}

/**
 * MAS's OIDC issuer and account page: `http.public_base` of synapse-config/mas/config.template.yaml
 * (the issuer defaults to it) and the `account/` page MAS serves under it.
 */
export function masAuthentication(masHost: string): { issuer: string; accountUrl: string } {
  const issuer = `https://${masHost}/`;
  return { issuer, accountUrl: new URL("account/", issuer).href };
}
