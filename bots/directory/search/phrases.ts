import { foldName } from "../territory.ts";

/** Vocabulary phrases are at most this long ("visite a domicile", "langue des signes"). */
const LONGEST_PHRASE_WORDS = 4;

/** The folded words of what someone typed: letters and digits only, so no syntax survives. */
export function foldedWords(text: string): string[] {
  return foldName(text)
    .replace(/[^a-z0-9 ]/g, " ")
    .split(" ")
    .filter((w) => w.length > 0);
}

/** The longest phrase of `table` that starts at `words[start]`, longer phrases first. */
export function longestPhraseAt<T>(words: readonly string[], start: number, table: ReadonlyMap<string, T>): { value: T; length: number } | undefined {
  for (let length = Math.min(LONGEST_PHRASE_WORDS, words.length - start); length > 0; length--) {
    const value = table.get(words.slice(start, start + length).join(" "));
    if (value !== undefined) return { value, length };
  }
  return undefined;
}
