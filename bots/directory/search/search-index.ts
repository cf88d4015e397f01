import type { Db } from "../../core/store/database.ts";
import { foldName } from "../territory.ts";

/** Folded text as the index stores it: the same folding as queries, then letters and digits only. */
export function indexText(text: string): string {
  return foldName(text).replace(/[^a-z0-9 ]/g, " ").replace(/\s+/g, " ").trim();
}

export const professionFacet = (folded: string): string => `p:${folded}`;
export const specialtyFacet = (folded: string): string => `s:${folded}`;

interface PersonRow { id: number; national_id: string; last_name: string; first_name: string; profession: string }
interface SkillRow { person_id: number; label: string }
interface SiteRow { id: number; person_id: number; commune_code: string; commune: string; commune_label: string }
interface ProfileRow { national_id: string; text: string }

/**
 * Rebuilds the search index from the directory tables: active people, their active
 * savoir-faire and sites, and the profile text members added. The national import calls it
 * once at the end of its transaction. A bulk rebuild rather than triggers: folding (accents,
 * ligatures) needs JavaScript, which triggers could only call if every connection, including
 * a plain sqlite3 shell, registered the function; and per-row triggers would slow the import.
 */
export function rebuildSearchIndex(db: Db): { people: number; ms: number } {
  const started = performance.now();
  const people = db.transaction(() => {
    db.exec("DELETE FROM directory_search; DELETE FROM directory_search_people; DELETE FROM directory_search_facets; DELETE FROM directory_search_sites;");
    const count = indexPeople(db, undefined);
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

function groupBy<T extends { person_id: number }>(rows: readonly T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const row of rows) {
    const list = map.get(row.person_id);
    if (list) list.push(row);
    else map.set(row.person_id, [row]);
  }
  return map;
}

/** People indexed per step of a full rebuild: memory stays flat however large the directory. */
const REBUILD_BATCH_PEOPLE = 5_000;

function indexPeople(db: Db, personId: number | undefined): number {
  if (personId !== undefined) return indexIdRange(db, personId, personId);
  const nextIds = db.prepare("SELECT id FROM directory_people WHERE active = 1 AND id > ? ORDER BY id LIMIT ?").pluck();
  let indexed = 0;
  let after = 0;
  for (;;) {
    const ids = nextIds.all(after, REBUILD_BATCH_PEOPLE) as number[];
    if (ids.length === 0) return indexed;
    after = ids.at(-1)!;
    indexed += indexIdRange(db, ids[0]!, after);
  }
}

/** Indexes the active people whose id is between `from` and `to`. */
function indexIdRange(db: Db, from: number, to: number): number {
  const params = { from, to };
  const people = db.prepare("SELECT id, national_id, last_name, first_name, profession FROM directory_people WHERE active = 1 AND id BETWEEN @from AND @to ORDER BY id").all(params) as PersonRow[];
  const skills = groupBy(db.prepare("SELECT person_id, label FROM directory_skills WHERE active = 1 AND person_id BETWEEN @from AND @to ORDER BY id").all(params) as SkillRow[]);
  const sites = groupBy(db.prepare("SELECT id, person_id, commune_code, commune, commune_label FROM directory_sites WHERE active = 1 AND person_id BETWEEN @from AND @to ORDER BY id").all(params) as SiteRow[]);
  const profileSql = "SELECT national_id, text FROM directory_profile_search_text WHERE national_id IN (SELECT national_id FROM directory_people WHERE id BETWEEN @from AND @to)";
  const profiles = new Map((db.prepare(profileSql).all(params) as ProfileRow[]).map((r) => [r.national_id, r.text]));
  const insertText = db.prepare("INSERT INTO directory_search (rowid, names, profession, skills, communes, profile) VALUES (?, ?, ?, ?, ?, ?)");
  const insertPerson = db.prepare("INSERT INTO directory_search_people (person_id, sort_name) VALUES (?, ?)");
  const insertFacet = db.prepare("INSERT OR IGNORE INTO directory_search_facets (facet, person_id) VALUES (?, ?)");
  const insertSite = db.prepare("INSERT INTO directory_search_sites (person_id, site_id, commune_code, profession, sort_name) VALUES (?, ?, ?, ?, ?)");
  for (const p of people) {
    const names = indexText(`${p.first_name} ${p.last_name}`);
    const sortName = indexText(`${p.last_name} ${p.first_name}`);
    const profession = indexText(p.profession);
    const labels = (skills.get(p.id) ?? []).map((s) => indexText(s.label));
    const places = sites.get(p.id) ?? [];
    const communes = [...new Set(places.map((s) => indexText(s.commune_label || s.commune)))];
    insertText.run(p.id, names, profession, labels.join(" ; "), communes.join(" ; "), profiles.get(p.national_id) ?? "");
    insertPerson.run(p.id, sortName);
    insertFacet.run(professionFacet(profession), p.id);
    for (const label of labels) insertFacet.run(specialtyFacet(label), p.id);
    // A person without an active site is still findable, last, by name or profession.
    if (places.length === 0) insertSite.run(p.id, null, "", profession, sortName);
    for (const site of places) insertSite.run(p.id, site.id, site.commune_code, profession, sortName);
  }
  return people.length;
}
