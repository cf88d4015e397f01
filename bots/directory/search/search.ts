import type { Db } from "../../core/store/database.ts";
import type { Commune, Territory } from "../territory.ts";
import { loadResults, type SearchResult } from "./details.ts";
import { candidatesSql, professionPredicate, type Sql } from "./filters.ts";
import { allOf, anyOf, inColumn, phrase, safeWords } from "./fts.ts";
import type { DirectoryQuery } from "./query.ts";
import { placesFrom, rankCandidates, walkCommunes, type Places, type Ranked } from "./rank.ts";
import { careModeToken, equipmentToken, languageToken } from "./search-index.ts";
import { EQUIPMENT_WORDS, LANGUAGE_WORDS } from "./vocabulary.ts";

export type { SearchResult } from "./details.ts";

export interface SearchOptions {
  /** The asker's practice commune: the distance origin when the query names none. */
  readonly origin?: Commune;
  readonly page: number;
  readonly pageSize: number;
}

export interface SearchPage {
  readonly results: readonly SearchResult[];
  readonly total: number;
  readonly page: number;
  readonly pages: number;
  readonly pageSize: number;
  /** No one matched every free word: these results match some of them, best first. */
  readonly relaxed: boolean;
  /** Wanted care modes, languages or equipment no result's card mentions (ranked without them). */
  readonly unmatched: readonly string[];
}

/** A profession-wide set larger than this is ranked by walking the communes nearest first (sets of matches always rank in memory). */
const IN_MEMORY_LIMIT = 500;

interface Boost { readonly label: string; readonly fts: string }

/** Care modes, languages and equipment rank people up but never filter: most cards do not say yet. */
function boostsOf(query: DirectoryQuery): Boost[] {
  const languageName = (code: string): string => [...LANGUAGE_WORDS].find(([, c]) => c === code)?.[0] ?? code;
  return [
    ...query.careModes.map((mode) => ({ label: mode, fts: inColumn("profile", phrase(careModeToken(mode), false)) })),
    ...query.languages.map((code) => ({ label: languageName(code), fts: inColumn("profile", phrase(languageToken(code), false)) })),
    ...query.equipment.map((value) => {
      const words = [...EQUIPMENT_WORDS].filter(([, v]) => v === value).map(([w]) => phrase(w, true));
      return { label: value, fts: `${inColumn("profile", phrase(equipmentToken(value), false))} OR ${inColumn("skills", words.join(" OR "))}` };
    }),
  ];
}

/**
 * Finds professionals of the territory: professions and specialties filter, free words go
 * through the full-text index (all of them, or failing that as many as possible), care
 * modes, languages and equipment rank up. Then nearest first, from the communes the query
 * names or else the asker's commune; one result per person, at their nearest site.
 */
export function searchDirectory(db: Db, territory: Territory, query: DirectoryQuery, options: SearchOptions): SearchPage {
  const pageSize = atLeastOne(options.pageSize);
  const page = atLeastOne(options.page);
  const origins = query.communes.length > 0 ? query.communes : options.origin ? [options.origin] : [];
  const places = placesFrom(territory, origins);
  const boosts = boostsOf(query);
  const terms = safeWords(query.terms);
  const found = terms.length > 0 ? byTerms(db, query, terms, boosts) : byFilters(db, query, boosts);
  const ranked = pageOf(db, places, found.groups, (page - 1) * pageSize, pageSize);
  return {
    results: loadResults(db, territory, places, ranked),
    total: found.total,
    page,
    pages: Math.max(1, Math.ceil(found.total / pageSize)),
    pageSize,
    relaxed: found.relaxed,
    unmatched: found.total === 0 ? [] : found.unmatched,
  };
}

const atLeastOne = (n: number): number => (Number.isFinite(n) ? Math.max(1, Math.floor(n)) : 1);

/** People of equal relevance: a known set, or everyone the profession filter allows but the earlier groups. */
type Group = { readonly ids: readonly number[] } | { readonly rest: Sql | undefined; readonly size: number; readonly exclude: ReadonlySet<number>; readonly all: () => number[] };

interface Found {
  readonly total: number;
  /** Most relevant first. */
  readonly groups: readonly Group[];
  readonly relaxed: boolean;
  readonly unmatched: readonly string[];
}

/** Ranks only the groups the page overlaps. */
function pageOf(db: Db, places: Places, groups: readonly Group[], skip: number, take: number): Ranked[] {
  const out: Ranked[] = [];
  for (const group of groups) {
    const size = "ids" in group ? group.ids.length : group.size;
    if (skip >= size) {
      skip -= size;
      continue;
    }
    const ranked =
      "ids" in group || size <= IN_MEMORY_LIMIT
        ? rankCandidates(db, "ids" in group ? group.ids : group.all(), places, skip + take).slice(skip)
        : walkCommunes(db, places, group.rest, (id) => !group.exclude.has(id), skip, take);
    out.push(...ranked);
    take -= ranked.length;
    skip = 0;
    if (take <= 0) break;
  }
  return out;
}

function matchIds(db: Db, fts: string, predicate: Sql | undefined): Set<number> {
  const where = predicate ? ` AND ${predicate.sql}` : "";
  return new Set(db.prepare(`SELECT rowid FROM directory_search WHERE directory_search MATCH ?${where}`).pluck().all(fts, ...(predicate?.params ?? [])) as number[]);
}

/** Splits people into groups by relevance keys (compared in order, higher first). */
function groupByKeys(ids: Iterable<number>, keys: (id: number) => readonly number[]): Group[] {
  const groups = new Map<string, { keys: readonly number[]; ids: number[] }>();
  for (const id of ids) {
    const k = keys(id);
    const name = k.join(",");
    const group = groups.get(name) ?? groups.set(name, { keys: k, ids: [] }).get(name)!;
    group.ids.push(id);
  }
  const byRelevance = (a: readonly number[], b: readonly number[]): number => a.reduce((d, x, i) => d || b[i]! - x, 0);
  return [...groups.values()].sort((a, b) => byRelevance(a.keys, b.keys)).map((g) => ({ ids: g.ids }));
}

function byTerms(db: Db, query: DirectoryQuery, terms: readonly string[], boosts: readonly Boost[]): Found {
  const predicate = professionPredicate(query.professions, "directory_search.rowid");
  const termsExpr = allOf(terms, true);
  let matched = matchIds(db, termsExpr, predicate);
  let termCount = (_: number): number => 0;
  const relaxed = matched.size === 0 && terms.length > 1;
  if (relaxed) {
    // As many of the words as possible: people matching more of them come first.
    const counts = new Map<number, number>();
    for (const t of terms) for (const id of matchIds(db, phrase(t, true), predicate)) counts.set(id, (counts.get(id) ?? 0) + 1);
    matched = new Set(counts.keys());
    termCount = (id) => counts.get(id)!;
  }
  const exact = relaxed ? new Set<number>() : matchIds(db, allOf(terms, false), predicate);
  const within = relaxed ? anyOf(terms, true) : termsExpr;
  const boosted = boosts.map((b) => matchIds(db, `(${within}) AND (${b.fts})`, predicate));
  const groups = groupByKeys(matched, (id) => [termCount(id), boosted.filter((m) => m.has(id)).length, exact.has(id) ? 1 : 0]);
  return { total: matched.size, groups, relaxed, unmatched: boosts.filter((_, i) => boosted[i]!.size === 0).map((b) => b.label) };
}

function byFilters(db: Db, query: DirectoryQuery, boosts: readonly Boost[]): Found {
  const candidates = candidatesSql(query.professions);
  const total = db.prepare(`SELECT COUNT(*) FROM (${candidates.sql})`).pluck().get(...candidates.params) as number;
  const boosted = boosts.map((b) => matchIds(db, b.fts, professionPredicate(query.professions, "directory_search.rowid")));
  // Whoever a wanted care mode, language or equipment ranks up comes first, then everyone else.
  const head = new Set(boosted.flatMap((m) => [...m]));
  const headGroups = groupByKeys(head, (id) => [boosted.filter((m) => m.has(id)).length]);
  const rest: Group = {
    rest: professionPredicate(query.professions, "s.person_id", "s.profession"),
    size: total - head.size,
    exclude: head,
    all: () => (db.prepare(candidates.sql).pluck().all(...candidates.params) as number[]).filter((id) => !head.has(id)),
  };
  return { total, groups: [...headGroups, rest], relaxed: false, unmatched: boosts.filter((_, i) => boosted[i]!.size === 0).map((b) => b.label) };
}
