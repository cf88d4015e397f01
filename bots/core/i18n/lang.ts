export type Lang = "fr" | "en";
export const DEFAULT_LANG: Lang = "fr";
export const LANGS: readonly Lang[] = ["fr", "en"];

/** A text every person can read in their own interface language. */
export type Localized = { readonly fr: string; readonly en: string };

/** Lower-cased, accents removed: for forgiving comparisons, never for display. */
export function foldText(input: string): string {
  return input.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

const LANG_NAMES: Readonly<Record<string, Lang>> = {
  fr: "fr", francais: "fr", french: "fr",
  en: "en", english: "en", anglais: "en",
};

export function parseLang(input: string): Lang | undefined {
  const key = foldText(input.trim());
  return Object.hasOwn(LANG_NAMES, key) ? LANG_NAMES[key] : undefined;
}

const PLACEHOLDER = /\{(\w+)\}/g;

/**
 * Fills `{name}` placeholders in one pass, so a value that itself contains `{x}`
 * (user input) is never expanded again. Unknown placeholders stay visible.
 */
export function localize(text: Localized, lang: Lang, params?: Record<string, string | number>): string {
  const template = text[lang];
  if (!params) return template;
  return template.replace(PLACEHOLDER, (whole, key: string) => (Object.hasOwn(params, key) ? String(params[key]) : whole));
}
