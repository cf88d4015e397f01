import type { Db } from "../../bots/core/store/database.ts";

export interface PersonRow {
  readonly rpps: string;
  readonly lastName: string;
  readonly firstName: string;
  readonly profession: string;
  readonly skills?: readonly string[];
  readonly commune?: string;
  /** The INSEE code of that commune, when a test needs the site placed in the territory. */
  readonly communeCode?: string;
  readonly active?: boolean;
}

/** Directory rows as the national import would leave them (invented people), for tests. */
export function insertPeople(db: Db, people: readonly PersonRow[]): void {
  const importId = Number(
    db.prepare("INSERT INTO directory_imports (started_at, finished_at, files, report) VALUES (0, 0, '[]', '{}')").run().lastInsertRowid,
  );
  const person = db.prepare(
    `INSERT INTO directory_people (national_id, id_type, identifier, civility_code, civility, practice_civility, last_name, first_name,
       profession_code, profession, category_code, category, active, first_import_id, changed_import_id)
     VALUES (?, 'rpps', ?, '', '', '', ?, ?, '', ?, 'C', 'Civil', ?, ?, ?)`,
  );
  const skill = db.prepare(
    "INSERT INTO directory_skills (person_id, code, label, type_code, type, active, changed_import_id) VALUES (?, ?, ?, 'S', 'Spécialité ordinale', 1, ?)",
  );
  const site = db.prepare(
    `INSERT INTO directory_sites (person_id, site_key, mode_code, mode, sector_code, sector, structure_id, structure_name, structure_sign, siret,
       finess, address, address_extra, postcode, cedex, commune_code, commune, commune_label, country_code, country, phone, phone2, email, active,
       changed_import_id)
     VALUES (?, 'site', 'L', 'Libéral', '', '', '', '', '', '', '', '', '', '', '', ?, ?, ?, '', '', '', '', '', 1, ?)`,
  );
  db.transaction(() => {
    for (const p of people) {
      const id = Number(person.run(`8${p.rpps}`, p.rpps, p.lastName, p.firstName, p.profession, p.active === false ? 0 : 1, importId, importId).lastInsertRowid);
      for (const [i, label] of (p.skills ?? []).entries()) skill.run(id, `SK${i}`, label, importId);
      if (p.commune) site.run(id, p.communeCode ?? "", p.commune, p.commune.toUpperCase(), importId);
    }
  })();
}
