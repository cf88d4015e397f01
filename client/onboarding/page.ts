// The onboarding page: client/onboarding/index.html with the CPTS's values filled in
// ({{NAME}} placeholders, HTML-escaped). The page is static once generated.
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { LOGO_PATH, type CptsBranding } from "../element/branding.ts";

export const ONBOARDING_DIR = new URL(".", import.meta.url);

export function onboardingValues(branding: CptsBranding): Record<string, string> {
  return {
    CPTS_NAME: branding.name,
    SERVER_NAME: branding.serverName,
    ELEMENT_WEB_URL: branding.elementWebUrl,
    PRIVACY_URL: branding.privacyPolicyUrl,
    LOGO_SRC: `${LOGO_PATH}${extname(branding.logoFile).toLowerCase()}`,
  };
}

const PLACEHOLDER = /\{\{([A-Z_]+)\}\}/g;

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]!);

/** Fills every placeholder; a placeholder without a value is a bug in the template, not a blank. */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`onboarding template: no value for {{${name}}}`);
    return escapeHtml(value);
  });
}

export function placeholdersOf(template: string): Set<string> {
  return new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1]!));
}

export function renderOnboardingPage(branding: CptsBranding): string {
  return renderTemplate(readFileSync(new URL("index.html", ONBOARDING_DIR), "utf8"), onboardingValues(branding));
}
