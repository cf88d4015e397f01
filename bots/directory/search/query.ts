import { foldName, type Commune, type Territory } from "../territory.ts";
import { foldedWords, longestPhraseAt } from "./phrases.ts";
import { CARE_MODE_WORDS, EQUIPMENT_WORDS, LANGUAGE_WORDS, PROFESSION_WORDS, STOP_WORDS, type CareMode, type ProfessionTerm } from "./vocabulary.ts";

/** Longer than any sensible search: refused with a clear answer rather than scanned. */
export const MAX_QUERY_LENGTH = 200;

export interface DirectoryQuery {
  readonly professions: readonly ProfessionTerm[];
  readonly communes: readonly Commune[];
  readonly careModes: readonly CareMode[];
  readonly languages: readonly string[];
  readonly equipment: readonly string[];
  /** What is left: names, skills, free words, to match against the full text. */
  readonly terms: readonly string[];
}

export type QueryParse = { readonly ok: true; readonly query: DirectoryQuery } | { readonly ok: false; readonly error: "empty" | "too-long" };

type Meaning =
  | { kind: "profession"; value: ProfessionTerm }
  | { kind: "commune"; value: Commune }
  | { kind: "care-mode"; value: CareMode }
  | { kind: "language"; value: string }
  | { kind: "equipment"; value: string };

/**
 * Understands a directory search as people type it ("kiné Douai domicile", "sage-femme
 * qui parle anglais"): profession words, communes of the territory (with or without
 * accents and hyphens), care modes, languages and equipment; the rest are free terms.
 * Quotes and search-engine or SQL operators carry no meaning here: only letters and digits
 * survive, so nothing the user types can reach a query language.
 */
export function parseDirectoryQuery(text: string, territory: Territory): QueryParse {
  if (text.length > MAX_QUERY_LENGTH) return { ok: false, error: "too-long" };
  const words = foldedWords(text);
  const phrases = phraseTable(territory);
  const found: Meaning[] = [];
  const terms: string[] = [];
  for (let i = 0; i < words.length; ) {
    const match = longestPhraseAt(words, i, phrases);
    if (match) {
      found.push(match.value);
      i += match.length;
      continue;
    }
    const word = words[i]!;
    if (!STOP_WORDS.has(word) && word.length > 1) terms.push(word);
    i++;
  }
  const query: DirectoryQuery = {
    professions: unique(found.flatMap((m) => (m.kind === "profession" ? [m.value] : [])), (p) => `${p.profession}|${p.specialty ?? ""}`),
    communes: unique(found.flatMap((m) => (m.kind === "commune" ? [m.value] : [])), (c) => c.code),
    careModes: unique(found.flatMap((m) => (m.kind === "care-mode" ? [m.value] : [])), (v) => v),
    languages: unique(found.flatMap((m) => (m.kind === "language" ? [m.value] : [])), (v) => v),
    equipment: unique(found.flatMap((m) => (m.kind === "equipment" ? [m.value] : [])), (v) => v),
    terms: unique(terms, (v) => v),
  };
  const empty = Object.values(query).every((list: readonly unknown[]) => list.length === 0);
  return empty ? { ok: false, error: "empty" } : { ok: true, query };
}

const tables = new WeakMap<Territory, ReadonlyMap<string, Meaning>>();

function phraseTable(territory: Territory): ReadonlyMap<string, Meaning> {
  const cached = tables.get(territory);
  if (cached) return cached;
  const table = new Map<string, Meaning>();
  for (const [word, value] of PROFESSION_WORDS) table.set(word, { kind: "profession", value });
  for (const [word, value] of CARE_MODE_WORDS) table.set(word, { kind: "care-mode", value });
  for (const [word, value] of LANGUAGE_WORDS) table.set(word, { kind: "language", value });
  for (const [word, value] of EQUIPMENT_WORDS) table.set(word, { kind: "equipment", value });
  for (const [alias, commune] of communeAliases(territory)) if (!table.has(alias)) table.set(alias, { kind: "commune", value: commune });
  tables.set(territory, table);
  return table;
}

/** Full folded names, plus the first word of a compound name when no other commune shares it ("flers", "lambres"). */
function communeAliases(territory: Territory): Map<string, Commune> {
  const aliases = new Map<string, Commune>();
  const firstWords = new Map<string, Commune[]>();
  for (const commune of territory.communes) {
    const folded = foldName(commune.name);
    aliases.set(folded, commune);
    const first = folded.split(" ")[0]!;
    if (first !== folded) firstWords.set(first, [...(firstWords.get(first) ?? []), commune]);
  }
  for (const [first, communes] of firstWords) {
    if (communes.length === 1 && !aliases.has(first) && !STOP_WORDS.has(first)) aliases.set(first, communes[0]!);
  }
  return aliases;
}

function unique<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
