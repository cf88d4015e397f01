// For the tests: the settings documented in .env.example, which must themselves be valid.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";
import { brandingFromEnv, type CptsBranding } from "./branding.ts";

export const REPO_ROOT = new URL("../../", import.meta.url);

export function exampleEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return { ...(parseEnv(readFileSync(new URL(".env.example", REPO_ROOT), "utf8")) as Record<string, string>), ...overrides };
}

export function exampleBranding(overrides: Record<string, string> = {}): CptsBranding {
  return brandingFromEnv(exampleEnv(overrides), fileURLToPath(REPO_ROOT));
}
