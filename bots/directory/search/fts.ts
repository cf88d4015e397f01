// Builds FTS5 match expressions from words that query.ts already reduced to [a-z0-9]. Each
// word is still checked and always double-quoted, so no user text is ever read as FTS5
// syntax (AND, NEAR, column filters, "*", "^").

const SAFE_WORD = /^[a-z0-9]+$/;
const SAFE_PHRASE = /^[a-z0-9]+( [a-z0-9]+)*$/;

export function safeWords(words: readonly string[]): string[] {
  return words.filter((w) => SAFE_WORD.test(w));
}

/** A quoted word or phrase, as a prefix ("kine"* also finds "kinesitherapeute") or exact. */
export function phrase(words: string, prefix: boolean): string {
  if (!SAFE_PHRASE.test(words)) throw new Error(`unsafe FTS phrase: ${JSON.stringify(words)}`);
  return `"${words}"${prefix ? "*" : ""}`;
}

export function allOf(words: readonly string[], prefix: boolean): string {
  return safeWords(words).map((w) => phrase(w, prefix)).join(" AND ");
}

export function anyOf(words: readonly string[], prefix: boolean): string {
  return safeWords(words).map((w) => phrase(w, prefix)).join(" OR ");
}

export type SearchColumn = "names" | "profession" | "skills" | "communes" | "profile";

export function inColumn(column: SearchColumn, expression: string): string {
  return `${column} : (${expression})`;
}
