import type { Db } from "../../core/store/database.ts";
import { distanceKm, foldName, type Commune, type Territory } from "../territory.ts";
import type { Sql } from "./filters.ts";

/** Where each commune of the territory comes in the ranking, and how far it is from the origin. */
export interface Places {
  readonly order: readonly string[];
  readonly byCode: ReadonlyMap<string, { readonly rank: number; readonly km?: number }>;
}

/** Nearest first from the origins (the nearest of them counts); without origin, communes by name. */
export function placesFrom(territory: Territory, origins: readonly Commune[]): Places {
  const measured = territory.communes.map((c) => ({
    code: c.code,
    name: foldName(c.name),
    km: origins.length === 0 ? undefined : Math.min(...origins.map((o) => distanceKm(o, c))),
  }));
  measured.sort((a, b) => (a.km ?? 0) - (b.km ?? 0) || a.name.localeCompare(b.name));
  return { order: measured.map((m) => m.code), byCode: new Map(measured.map((m, rank) => [m.code, { rank, km: m.km }])) };
}

/** A person matched by the search, with relevance keys compared in order (higher first). */
export interface Candidate {
  readonly personId: number;
  readonly keys: readonly number[];
  readonly bm25: number;
}

export interface Ranked {
  readonly personId: number;
  readonly siteId: number | null;
  readonly communeCode: string;
}

interface SiteRow { person_id: number; site_id: number | null; commune_code: string; sort_name: string }

/** Ranks a bounded set of candidates in memory: relevance, then nearest site, then name. */
export function rankCandidates(db: Db, candidates: readonly Candidate[], places: Places): Ranked[] {
  if (candidates.length === 0) return [];
  const rows = db
    .prepare("SELECT person_id, site_id, commune_code, sort_name FROM directory_search_sites WHERE person_id IN (SELECT value FROM json_each(?))")
    .all(JSON.stringify(candidates.map((c) => c.personId))) as SiteRow[];
  const rankOf = (code: string): number => places.byCode.get(code)?.rank ?? Number.MAX_SAFE_INTEGER;
  const nearest = new Map<number, SiteRow>();
  for (const row of rows) {
    const best = nearest.get(row.person_id);
    if (!best || rankOf(row.commune_code) < rankOf(best.commune_code)) nearest.set(row.person_id, row);
  }
  const scored = candidates.flatMap((c) => {
    const site = nearest.get(c.personId);
    return site ? [{ c, site, rank: rankOf(site.commune_code) }] : [];
  });
  scored.sort((a, b) => compareKeys(a.c.keys, b.c.keys) || a.rank - b.rank || a.c.bm25 - b.c.bm25 || a.site.sort_name.localeCompare(b.site.sort_name) || a.c.personId - b.c.personId);
  return scored.map(({ site }) => ({ personId: site.person_id, siteId: site.site_id, communeCode: site.commune_code }));
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (b[i] ?? 0) - (a[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/**
 * Ranks a large set without loading it: walks the communes nearest first and reads, from
 * the (commune, profession, name) index, only as many people as the page needs. A person
 * met in an earlier commune keeps that nearest site; `exclude` holds people already placed.
 */
export function walkCommunes(db: Db, places: Places, predicate: Sql | undefined, exclude: ReadonlySet<number>, skip: number, take: number): Ranked[] {
  const where = predicate ? ` AND ${predicate.sql}` : "";
  const params = predicate?.params ?? [];
  const inCommune = db.prepare(`SELECT s.person_id, s.site_id, s.commune_code FROM directory_search_sites s WHERE s.commune_code = ?${where} ORDER BY s.sort_name, s.person_id`);
  const elsewhere = db.prepare(
    `SELECT s.person_id, s.site_id, s.commune_code FROM directory_search_sites s WHERE s.commune_code NOT IN (SELECT value FROM json_each(?))${where} ORDER BY s.sort_name, s.person_id`,
  );
  const seen = new Set(exclude);
  const out: Ranked[] = [];
  let skipped = 0;
  const take1 = (row: SiteRow): boolean => {
    if (seen.has(row.person_id)) return false;
    seen.add(row.person_id);
    if (skipped < skip) skipped++;
    else out.push({ personId: row.person_id, siteId: row.site_id, communeCode: row.commune_code });
    return out.length >= take;
  };
  const buckets = [...places.order.map((code) => () => inCommune.iterate(code, ...params)), () => elsewhere.iterate(JSON.stringify(places.order), ...params)];
  for (const bucket of buckets) {
    for (const row of bucket() as Iterable<SiteRow>) if (take1(row)) return out;
  }
  return out;
}
