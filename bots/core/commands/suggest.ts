import { distance } from "fastest-levenshtein";
import { foldText } from "../i18n/lang.ts";

export interface Candidate<T> {
  /** A name or alias, as the person would type it. */
  readonly key: string;
  readonly owner: T;
}

/** Typos allowed: one for short words, then one more every three letters, three at most. */
function tolerance(length: number): number {
  return Math.min(3, Math.max(1, Math.ceil(length / 3)));
}

/**
 * The keys closest to what was typed (accents and case ignored), at most one per owner,
 * best first (fewest edits, then closest length). A typed word of three letters or more that starts a key counts as close.
 */
export function suggest<T>(typed: string, candidates: readonly Candidate<T>[], max = 3): string[] {
  const query = foldText(typed);
  const longest = Math.max(0, ...candidates.map((c) => c.key.length));
  if (query === "" || query.length > longest + 3) return [];
  const scored = candidates
    .map((c) => {
      const key = foldText(c.key);
      const d = distance(query, key);
      return { c, score: query.length >= 3 && key.startsWith(query) ? Math.min(d, 1) : d, gap: Math.abs(key.length - query.length) };
    })
    .filter(({ c, score }) => score <= tolerance(Math.min(query.length, c.key.length)))
    .sort((a, b) => a.score - b.score || a.gap - b.gap || a.c.key.localeCompare(b.c.key));
  const seen = new Set<T>();
  const out: string[] = [];
  for (const { c } of scored) {
    if (seen.has(c.owner)) continue;
    seen.add(c.owner);
    out.push(c.key);
    if (out.length === max) break;
  }
  return out;
}
