// Writes the Element client set-up of the stack from the CPTS's settings:
//
//   npm run client:config -- --out config/client [--settings .env]
//
//   <out>/element/config.json          Element Web's config (mounted by the `element` service)
//   <out>/www/.well-known/matrix/client, server
//   <out>/www/bienvenue/               the onboarding page
//   <out>/www/branding/logo.svg|png    the logo (login page, onboarding page)
//
// <out>/www is what the reverse proxy serves (client/Caddyfile). Variables come from the
// --settings file (the stack's .env; not named --env-file, which Node takes for itself
// even after the script name) and from the environment, which wins as with
// `docker compose`. A bad or missing value stops the generator with its variable's name.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, extname, join, resolve } from "node:path";
import { parseArgs, parseEnv } from "node:util";
import { ConfigError } from "../../bots/core/config.ts";
import { ONBOARDING_DIR, renderOnboardingPage } from "../onboarding/page.ts";
import { brandingFromEnv, LOGO_PATH, ONBOARDING_PATH, type CptsBranding } from "./branding.ts";
import { elementConfig } from "./config-source.ts";
import { clientWellKnown, serverWellKnown } from "./well-known.ts";

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

const logoProblem = (message: string): ConfigError => new ConfigError(`invalid client settings:\n  - CPTS_LOGO_FILE: ${message}`);

function readLogo(branding: CptsBranding): Buffer {
  let logo: Buffer;
  try {
    logo = readFileSync(branding.logoFile);
  } catch (err) {
    throw logoProblem(`cannot read ${branding.logoFile} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const isPng = logo.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const isSvg = /<svg[\s>]/.test(logo.subarray(0, 4096).toString("utf8"));
  if (extname(branding.logoFile).toLowerCase() === ".png" ? !isPng : !isSvg) {
    throw logoProblem(`${branding.logoFile} is not a ${extname(branding.logoFile)} image`);
  }
  return logo;
}

/** Every generated file, by path under the output folder. */
export function clientFiles(branding: CptsBranding): Map<string, string | Buffer> {
  const www = (path: string): string => join("www", path);
  return new Map<string, string | Buffer>([
    ["element/config.json", json(elementConfig(branding))],
    [www(".well-known/matrix/client"), json(clientWellKnown(branding))],
    [www(".well-known/matrix/server"), json(serverWellKnown(branding))],
    [www(`${ONBOARDING_PATH}index.html`), renderOnboardingPage(branding)],
    [www(`${ONBOARDING_PATH}style.css`), readFileSync(new URL("style.css", ONBOARDING_DIR), "utf8")],
    [www(`${LOGO_PATH}${extname(branding.logoFile).toLowerCase()}`), readLogo(branding)],
  ]);
}

/**
 * Overwrites in place rather than replacing: Docker bind-mounts config.json as a single
 * file, and such a mount keeps pointing at the old file when a new one is renamed over it.
 */
export function writeClientFiles(outDir: string, files: ReadonlyMap<string, string | Buffer>): string[] {
  const written: string[] = [];
  for (const [path, content] of files) {
    const target = join(outDir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    written.push(target);
  }
  return written;
}

const USAGE = "usage: npm run client:config -- --out <folder> [--settings <.env file>]";

export function main(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): number {
  let options: { out?: string | undefined; settings?: string | undefined };
  try {
    ({ values: options } = parseArgs({
      args: [...argv],
      options: { out: { type: "string" }, settings: { type: "string" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (!options.out) {
    process.stderr.write(`--out is required\n${USAGE}\n`);
    return 2;
  }
  try {
    let fileEnv: Record<string, string> = {};
    if (options.settings) {
      const envFile = resolve(cwd, options.settings);
      try {
        fileEnv = parseEnv(readFileSync(envFile, "utf8")) as Record<string, string>;
      } catch (err) {
        throw new ConfigError(`cannot read ${envFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    }
    const branding = brandingFromEnv({ ...fileEnv, ...env }, cwd);
    const written = writeClientFiles(resolve(cwd, options.out), clientFiles(branding));
    process.stdout.write(`${written.map((file) => `wrote ${file}`).join("\n")}\n`);
    if (!branding.callLivekitServiceUrl) {
      process.stdout.write("calls are off: set CPTS_CALL_LIVEKIT_URL once the CPTS runs a MatrixRTC backend\n");
    }
    return 0;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2), process.env, process.cwd());
