import type { Db } from "../../core/store/database.ts";
import { foldName } from "../territory.ts";

/** Folded text as the index stores it: the same folding as queries, then letters and digits only. */
export function indexText(text: string): string {
  return foldName(text).replace(/[^a-z0-9 ]/g, " ").replace(/\s+/g, " ").trim();
}

export const professionFacet = (folded: string): string => `p:${folded}`;
export const specialtyFacet = (folded: string): string => `s:${folded}`;

/**
 * Rebuilds the search index from the directory tables: active people, their active
 * savoir-faire and sites, and the profile text members added. The national import calls it
 * once at the end of its transaction. A bulk rebuild rather than triggers: folding (accents,
 * ligatures) needs JavaScript, which triggers could only call if every connection, including
 * a plain sqlite3 shell, registered the function; and per-row triggers would slow the import.
 * The rebuild registers it on its own connection and runs in SQL (indexPeople).
 */
export function rebuildSearchIndex(db: Db): { people: number; ms: number } {
  const started = performance.now();
  const people = db.transaction(() => {
    // The secondary indexes are rebuilt once, sorted, rather than kept up to date row by row:
    // the walk index's rows arrive in random order and a national directory outgrows the cache.
    const indexes = db.prepare(
      `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL
       AND tbl_name IN ('directory_search_people', 'directory_search_facets', 'directory_search_sites') ORDER BY name`,
    ).all() as { name: string; sql: string }[];
    for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
    db.exec("DELETE FROM directory_search; DELETE FROM directory_search_people; DELETE FROM directory_search_facets; DELETE FROM directory_search_sites;");
    const count = indexPeople(db, undefined);
    for (const index of indexes) db.exec(index.sql);
    const lastImport = db.prepare("SELECT MAX(id) AS id FROM directory_imports").get() as { id: number | null };
    db.prepare("INSERT INTO directory_search_state (id, import_id, built_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET import_id = excluded.import_id, built_at = excluded.built_at, generation = generation + 1").run(lastImport.id, Date.now());
    return count;
  }).immediate();
  return { people, ms: performance.now() - started };
}

/** Rebuilds the index when an import happened since it was built (e.g. a database upgraded to this schema): for the bot's start. */
export function ensureSearchIndex(db: Db): boolean {
  const state = db.prepare("SELECT import_id FROM directory_search_state WHERE id = 1").get() as { import_id: number | null } | undefined;
  const lastImport = db.prepare("SELECT MAX(id) AS id FROM directory_imports").get() as { id: number | null };
  if (state && state.import_id === lastImport.id) return false;
  rebuildSearchIndex(db);
  return true;
}

/** What a member's profile adds to the search: free skills as words, vocabulary values as exact tokens. */
export interface ProfileSearchInput {
  readonly skills: readonly string[];
  readonly languages: readonly string[];
  readonly equipment: readonly string[];
  readonly careModes: readonly string[];
}

/** Tokens no national label produces, so a profile's "anglais" is told from a savoir-faire word. */
export const languageToken = (code: string): string => `zlang${code}`;
export const equipmentToken = (value: string): string => `zequip${value}`;
export const careModeToken = (mode: string): string => `zcare${mode}`;

/** For the profile module: stores what a member's profile adds and re-indexes that person at once. */
export function setProfileSearchText(db: Db, nationalId: string, profile: ProfileSearchInput, now: number): void {
  const text = [
    ...profile.skills.map(indexText),
    ...profile.languages.map((c) => languageToken(indexText(c).replace(/ /g, ""))),
    ...profile.equipment.map((e) => equipmentToken(indexText(e).replace(/ /g, ""))),
    ...profile.careModes.map((m) => careModeToken(indexText(m).replace(/ /g, ""))),
  ].join(" ");
  db.transaction(() => {
    db.prepare("INSERT INTO directory_profile_search_text (national_id, text, updated_at) VALUES (?, ?, ?) ON CONFLICT (national_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at").run(nationalId, text, now);
    const person = db.prepare("SELECT id FROM directory_people WHERE national_id = ?").get(nationalId) as { id: number } | undefined;
    if (!person) return;
    for (const table of ["directory_search_people", "directory_search_facets", "directory_search_sites"]) db.prepare(`DELETE FROM ${table} WHERE person_id = ?`).run(person.id);
    db.prepare("DELETE FROM directory_search WHERE rowid = ?").run(person.id);
    indexPeople(db, person.id);
    db.prepare("UPDATE directory_search_state SET generation = generation + 1").run();
  })();
}

/** The SQL name of indexText on a connection that rebuilds the index (registered there only). */
const INDEX_TEXT = "cpts_index_text";
/** Folded texts remembered while indexing: professions, communes and savoir-faire repeat on most rows. */
const FOLD_CACHE_ENTRIES = 20_000;

/**
 * Lets this connection's SQL fold text as indexText does. The index is then built by
 * INSERT … SELECT, which streams rows inside SQLite instead of carrying each person through
 * JavaScript, so memory stays flat however large the directory.
 */
function registerIndexText(db: Db): void {
  let folded = new Map<string, string>();
  db.function(INDEX_TEXT, { deterministic: true }, (text: unknown) => {
    const key = String(text);
    let value = folded.get(key);
    if (value === undefined) {
      if (folded.size >= FOLD_CACHE_ENTRIES) folded = new Map();
      value = indexText(key);
      folded.set(key, value);
    }
    return value;
  });
}

/**
 * Indexes the active people (all of them, or one), each with its active savoir-faire (in id
 * order) and sites (in id order; a person without one is still findable, last, by name or
 * profession, through a row without site).
 */
function indexPeople(db: Db, personId: number | undefined): number {
  registerIndexText(db);
  const params = {
    from: personId ?? Number.MIN_SAFE_INTEGER, to: personId ?? Number.MAX_SAFE_INTEGER,
    professionFacet: professionFacet(""), specialtyFacet: specialtyFacet(""),
  };
  const f = INDEX_TEXT;
  const chosen = "p.active = 1 AND p.id BETWEEN @from AND @to";
  const indexed = db.prepare(
    `INSERT INTO directory_search_people (person_id, sort_name)
     SELECT p.id, ${f}(p.last_name || ' ' || p.first_name) FROM directory_people p WHERE ${chosen} ORDER BY p.id`,
  ).run(params).changes;
  db.prepare(
    `INSERT INTO directory_search (rowid, names, profession, skills, communes, profile)
     SELECT p.id, ${f}(p.first_name || ' ' || p.last_name), ${f}(p.profession),
       coalesce((SELECT group_concat(${f}(k.label), ' ; ' ORDER BY k.id) FROM directory_skills k WHERE k.person_id = p.id AND k.active = 1), ''),
       coalesce((SELECT group_concat(c.folded, ' ; ' ORDER BY c.first) FROM (
         SELECT ${f}(CASE WHEN s.commune_label <> '' THEN s.commune_label ELSE s.commune END) AS folded, min(s.id) AS first
         FROM directory_sites s WHERE s.person_id = p.id AND s.active = 1 GROUP BY folded) c), ''),
       coalesce((SELECT t.text FROM directory_profile_search_text t WHERE t.national_id = p.national_id), '')
     FROM directory_people p WHERE ${chosen} ORDER BY p.id`,
  ).run(params);
  db.prepare(
    `INSERT OR IGNORE INTO directory_search_facets (facet, person_id)
     SELECT @professionFacet || ${f}(p.profession), p.id FROM directory_people p WHERE ${chosen}
     UNION ALL
     SELECT @specialtyFacet || ${f}(k.label), p.id FROM directory_people p JOIN directory_skills k ON k.person_id = p.id AND k.active = 1 WHERE ${chosen}
     ORDER BY 1, 2`,
  ).run(params);
  db.prepare(
    `INSERT INTO directory_search_sites (person_id, site_id, commune_code, profession, sort_name)
     SELECT p.id, s.id, coalesce(s.commune_code, ''), ${f}(p.profession), sp.sort_name
     FROM directory_people p JOIN directory_search_people sp ON sp.person_id = p.id
     LEFT JOIN directory_sites s ON s.person_id = p.id AND s.active = 1
     WHERE ${chosen} ORDER BY p.id, s.id`,
  ).run(params);
  return indexed;
}
