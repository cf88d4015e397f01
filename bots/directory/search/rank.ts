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

export interface Ranked {
  readonly personId: number;
  readonly siteId: number | null;
  readonly communeCode: string;
}

interface SiteRow { person_id: number; site_id: number | null; commune_code: string; sort_name: string }

interface PersonSites { readonly sortName: string; readonly siteIds: (number | null)[]; readonly communes: number[] }
interface SiteCache { readonly generation: number; readonly codes: readonly string[]; readonly people: ReadonlyMap<number, PersonSites> }

// Every indexed person's sites, held in memory (a few MB at national scale, communes as
// small integers) so thousands of matches rank in a millisecond; reloaded when the index changes.
const siteCaches = new WeakMap<Db, SiteCache>();

function siteCache(db: Db): SiteCache {
  const generation = (db.prepare("SELECT generation FROM directory_search_state WHERE id = 1").pluck().get() as number | undefined) ?? 0;
  const cached = siteCaches.get(db);
  if (cached && cached.generation === generation) return cached;
  const codes: string[] = [];
  const codeIndex = new Map<string, number>();
  const people = new Map<number, PersonSites>();
  for (const row of db.prepare("SELECT person_id, site_id, commune_code, sort_name FROM directory_search_sites").iterate() as Iterable<SiteRow>) {
    let code = codeIndex.get(row.commune_code);
    if (code === undefined) codeIndex.set(row.commune_code, (code = codes.push(row.commune_code) - 1));
    const entry = people.get(row.person_id) ?? people.set(row.person_id, { sortName: row.sort_name, siteIds: [], communes: [] }).get(row.person_id)!;
    entry.siteIds.push(row.site_id);
    entry.communes.push(code);
  }
  const cache = { generation, codes, people };
  siteCaches.set(db, cache);
  return cache;
}

/** Loads the site cache ahead of the first search (e.g. when the bot starts or after an import). */
export function warmSearchCache(db: Db): void {
  siteCache(db);
}

/** Ranks people of equal relevance in memory: nearest site, then name (binary order, as the walk reads them). */
export function rankCandidates(db: Db, personIds: readonly number[], places: Places, limit = Number.MAX_SAFE_INTEGER): Ranked[] {
  const { codes, people } = siteCache(db);
  const communeRank = Float64Array.from(codes, (code) => places.byCode.get(code)?.rank ?? Number.MAX_SAFE_INTEGER);
  const ranks = new Float64Array(personIds.length).fill(Infinity);
  const best = new Int32Array(personIds.length);
  personIds.forEach((id, i) => {
    const entry = people.get(id);
    if (entry) for (let j = 0; j < entry.communes.length; j++) if (communeRank[entry.communes[j]!]! < ranks[i]!) [ranks[i], best[i]] = [communeRank[entry.communes[j]!]!, j];
  });
  // Only people at or before the limit-th nearest commune can be on the page: objects for them alone.
  const needed = Math.min(limit, personIds.length);
  const threshold = needed === 0 ? -1 : needed === personIds.length ? Infinity : Float64Array.from(ranks).sort()[needed - 1]!;
  const kept = personIds.flatMap((personId, i) => {
    if (!(ranks[i]! <= threshold) || ranks[i] === Infinity) return [];
    const entry = people.get(personId)!;
    return [{ personId, rank: ranks[i]!, sortName: entry.sortName, siteId: entry.siteIds[best[i]!]!, code: codes[entry.communes[best[i]!]!]! }];
  });
  kept.sort((a, b) => a.rank - b.rank || (a.sortName < b.sortName ? -1 : a.sortName > b.sortName ? 1 : a.personId - b.personId));
  return kept.slice(0, needed).map((k) => ({ personId: k.personId, siteId: k.siteId, communeCode: k.code }));
}

/**
 * Ranks a large set without loading it: walks the communes nearest first and reads, from
 * the (commune, profession, name) index, only as many people as the page needs. A person
 * met in an earlier commune keeps that nearest site; `accept` says who belongs to the group.
 */
export function walkCommunes(db: Db, places: Places, predicate: Sql | undefined, accept: (personId: number) => boolean, skip: number, take: number): Ranked[] {
  const where = predicate ? ` AND ${predicate.sql}` : "";
  const params = predicate?.params ?? [];
  const inCommune = db.prepare(`SELECT s.person_id, s.site_id, s.commune_code FROM directory_search_sites s WHERE s.commune_code = ?${where} ORDER BY s.sort_name, s.person_id`);
  const elsewhere = db.prepare(
    `SELECT s.person_id, s.site_id, s.commune_code FROM directory_search_sites s WHERE s.commune_code NOT IN (SELECT value FROM json_each(?))${where} ORDER BY s.sort_name, s.person_id`,
  );
  const seen = new Set<number>();
  const out: Ranked[] = [];
  let skipped = 0;
  const take1 = (row: SiteRow): boolean => {
    if (seen.has(row.person_id)) return false;
    seen.add(row.person_id);
    if (!accept(row.person_id)) return false;
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
