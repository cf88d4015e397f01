// The onboarding page: client/onboarding/index.html with the CPTS's values filled in
// ({{NAME}} placeholders, HTML-escaped) and the sections of its sign-in set-up kept
// (`<!-- @if MAS -->` … `<!-- @endif -->`). The page is static once generated.
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
    // The page members sign in on: MAS's when it is on.
    SIGN_IN_HOST: new URL(branding.authentication?.issuer ?? branding.homeserverUrl).host,
  };
}

/**
 * What is true of this server's sign-in: MAS (the Matrix Authentication Service signs
 * members in, for every client) and PSC (Pro Santé Connect is offered).
 */
export function onboardingFlags(branding: CptsBranding): Record<string, boolean> {
  return { MAS: branding.authentication !== undefined, PSC: branding.pscEnabled };
}

// A mark alone on its line takes the line with it, so the page keeps no blank lines.
const SECTION_MARK = /(?:^[ \t]*)?<!--\s*@(?:if\s+(!?)([A-Z_]+)|(endif))\s*-->(?:[ \t]*\n)?/gm;

/**
 * Keeps the text between `<!-- @if FLAG -->` (or `@if !FLAG`) and `<!-- @endif -->` only
 * when the flag holds; sections nest. An unknown flag or an unbalanced mark is a bug in the
 * template, not something to skip.
 */
export function keepSections(template: string, flags: Readonly<Record<string, boolean>>): string {
  const kept: boolean[] = [];
  let out = "";
  let from = 0;
  for (const match of template.matchAll(SECTION_MARK)) {
    if (kept.every(Boolean)) out += template.slice(from, match.index);
    from = match.index + match[0].length;
    if (match[3]) {
      if (kept.pop() === undefined) throw new Error(`onboarding template: @endif without @if at offset ${match.index}`);
      continue;
    }
    const flag = flags[match[2]!];
    if (flag === undefined) throw new Error(`onboarding template: unknown condition @if ${match[2]}`);
    kept.push(match[1] === "!" ? !flag : flag);
  }
  if (kept.length > 0) throw new Error("onboarding template: @if without @endif");
  return out + template.slice(from);
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
  const template = readFileSync(new URL("index.html", ONBOARDING_DIR), "utf8");
  return renderTemplate(keepSections(template, onboardingFlags(branding)), onboardingValues(branding));
}
