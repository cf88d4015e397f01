import type { Db } from "../../core/store/database.ts";

/** An invented professional of CPTS Grand Douai, for search tests. */
export interface FakePerson {
  readonly rpps: string;
  readonly last: string;
  readonly first: string;
  readonly profession: string;
  readonly skills?: readonly string[];
  /** INSEE code, phone; a third "inactive" marks a site gone from the extract. */
  readonly sites: readonly (readonly [string, string] | readonly [string, string, "inactive"])[];
  readonly mssante?: string;
  readonly matrix?: string;
  readonly active?: false;
}

const MG = ["Médecine Générale"];
const [DOUAI, SIN, CUINCY, WAZIERS, GUESNAIN, LAMBRES, GOEULZIN, DECHY, CANTIN, ARLEUX, FLERS, MONTIGNY, AUBY, ROOST, ESQUERCHIN, FERIN, COURCHELETTES, HAMEL, LECLUSE] = [
  "59178", "59569", "59165", "59654", "59276", "59329", "59263", "59170", "59126", "59015", "59234", "59414", "59028", "59509", "59211", "59228", "59156", "59280", "59336",
] as const;

export const POPULATION: readonly FakePerson[] = [
  { rpps: "10000000011", last: "LEFÈVRE", first: "Camille", profession: "Médecin", skills: MG, sites: [[DOUAI, "0327000101"], [SIN, "0327000102"]], mssante: "camille.lefevre@medecin.mssante.fr", matrix: "@camille.lefevre:cpts.example" },
  { rpps: "10000000029", last: "MARTIN", first: "Paul", profession: "Médecin", skills: MG, sites: [[CUINCY, "0327000201"]] },
  { rpps: "10000000037", last: "DUBOIS", first: "Martine", profession: "Médecin", skills: MG, sites: [[WAZIERS, "0327000301"]] },
  { rpps: "10000000045", last: "NOWAK", first: "Stéphane", profession: "Médecin", skills: MG, sites: [[CUINCY, "0327000401"]], active: false },
  { rpps: "10000000052", last: "HADDAD", first: "Leïla", profession: "Médecin", skills: MG, sites: [[GUESNAIN, "0327000501"]] },
  { rpps: "10000000060", last: "BERNARD", first: "Hélène", profession: "Médecin", skills: ["Cardiologie et maladies vasculaires"], sites: [[DOUAI, "0327000601"]], mssante: "helene.bernard@medecin.mssante.fr" },
  { rpps: "10000000078", last: "PETIT", first: "Jacques", profession: "Médecin", skills: ["Cardiologie et maladies vasculaires"], sites: [[SIN, "0327000701"]] },
  { rpps: "10000000086", last: "ROUSSEAU", first: "Anne", profession: "Médecin", skills: ["Pédiatrie"], sites: [[DOUAI, "0327000801"]] },
  { rpps: "10000000094", last: "GARCIA", first: "Luis", profession: "Médecin", skills: ["Médecine Générale", "Gérontologie"], sites: [[LAMBRES, "0327000901"]] },
  { rpps: "10000000102", last: "O'NEIL", first: "Seán", profession: "Infirmier", sites: [[GOEULZIN, "0327001001"]] },
  { rpps: "10000000110", last: "DURAND", first: "Sophie", profession: "Infirmier", sites: [[SIN, "0327001101"]], matrix: "@sophie.durand:cpts.example", mssante: "sophie.durand@infirmier.mssante.fr" },
  { rpps: "10000000128", last: "LEROY", first: "Julie", profession: "Infirmier", sites: [[SIN, "0327001201"]] },
  { rpps: "10000000136", last: "MOREAU", first: "Thomas", profession: "Infirmier", sites: [[DOUAI, "0327001301"]] },
  { rpps: "10000000144", last: "FOURNIER", first: "Claire", profession: "Infirmier", sites: [[DECHY, "0327001401"]] },
  { rpps: "10000000151", last: "GIRARD", first: "Nadia", profession: "Infirmier", sites: [[WAZIERS, "0327001501"], [SIN, "0327001502", "inactive"]] },
  { rpps: "10000000169", last: "LAMBERT", first: "Hugo", profession: "Masseur-Kinésithérapeute", sites: [[DOUAI, "0327001601"]] },
  { rpps: "10000000177", last: "FONTAINE", first: "Emma", profession: "Masseur-Kinésithérapeute", sites: [[DOUAI, "0327001701"]] },
  { rpps: "10000000185", last: "CHEVALIER", first: "Marc", profession: "Masseur-Kinésithérapeute", sites: [[SIN, "0327001801"]] },
  { rpps: "10000000193", last: "FRANÇOIS", first: "Inès", profession: "Masseur-Kinésithérapeute", sites: [[CUINCY, "0327001901"]] },
  { rpps: "10000000201", last: "MERCIER", first: "Paul", profession: "Masseur-Kinésithérapeute", sites: [[DOUAI, "0327002001"]], active: false },
  { rpps: "10000000219", last: "DUPONT", first: "Élise", profession: "Pharmacien", sites: [[CANTIN, "0327002101"]] },
  { rpps: "10000000227", last: "DUPONT", first: "Marc", profession: "Pharmacien", sites: [[ARLEUX, "0327002201"]] },
  { rpps: "10000000235", last: "BLANC", first: "Pierre", profession: "Pharmacien", sites: [[DOUAI, "0327002301"]] },
  { rpps: "10000000243", last: "GUÉRIN", first: "Lucie", profession: "Pharmacien", sites: [[LAMBRES, "0327002401"]] },
  { rpps: "10000000250", last: "D'HONDT", first: "Marie-Hélène", profession: "Sage-Femme", sites: [[DOUAI, "0327002501"]] },
  { rpps: "10000000268", last: "LEMAIRE", first: "Sarah", profession: "Sage-Femme", skills: ["Échographie obstétricale"], sites: [[FLERS, "0327002601"]] },
  { rpps: "10000000276", last: "ROGER", first: "Aïcha", profession: "Sage-Femme", sites: [[MONTIGNY, "0327002701"]] },
  { rpps: "10000000284", last: "FAURE", first: "Antoine", profession: "Chirurgien-Dentiste", sites: [[AUBY, "0327002801"]] },
  { rpps: "10000000292", last: "ANDRÉ", first: "Camille", profession: "Chirurgien-Dentiste", sites: [[ROOST, "0327002901"]] },
  { rpps: "10000000300", last: "MASSON", first: "Zoé", profession: "Chirurgien-Dentiste", sites: [[DOUAI, "0327003001"]] },
  { rpps: "10000000318", last: "PICARD", first: "Léa", profession: "Orthophoniste", sites: [[DOUAI, "0327003101"]] },
  { rpps: "10000000326", last: "HENRY", first: "Louis", profession: "Pédicure-Podologue", sites: [[DECHY, "0327003201"]] },
  { rpps: "10000000334", last: "ROBIN", first: "Chloé", profession: "Psychologue", sites: [[CUINCY, "0327003301"]] },
  { rpps: "10000000342", last: "CLÉMENT", first: "Jules", profession: "Infirmier", sites: [[ESQUERCHIN, "0327003401"]] },
  { rpps: "10000000359", last: "NOËL", first: "Benoît", profession: "Médecin", skills: MG, sites: [[FERIN, "0327003501"]] },
  { rpps: "10000000367", last: "MÜLLER", first: "Anaïs", profession: "Masseur-Kinésithérapeute", sites: [[COURCHELETTES, "0327003601"]] },
  { rpps: "10000000375", last: "CŒUR", first: "Valérie", profession: "Infirmier", sites: [[DOUAI, "0327003701"]] },
  { rpps: "10000000383", last: "LEFEBVRE", first: "Jean", profession: "Médecin", skills: MG, sites: [[HAMEL, "0327003801"]] },
  { rpps: "10000000391", last: "VASSEUR", first: "Marie", profession: "Infirmier", sites: [[AUBY, "0327003901"]] },
  { rpps: "10000000409", last: "BONNET", first: "Yves", profession: "Pharmacien", sites: [[LECLUSE, "0327004001"]] },
];

/** Writes people as the national import leaves them (one import, territory communes already resolved). */
export function insertPopulation(db: Db, people: readonly FakePerson[], communeNames: ReadonlyMap<string, string>): void {
  const importId = Number(db.prepare("INSERT INTO directory_imports (started_at, finished_at, files, report) VALUES (0, 0, '[]', '{}')").run().lastInsertRowid);
  const person = db.prepare(
    `INSERT INTO directory_people (national_id, id_type, identifier, civility_code, civility, practice_civility, last_name, first_name,
       profession_code, profession, category_code, category, active, first_import_id, changed_import_id)
     VALUES (?, 'rpps', ?, '', '', '', ?, ?, '', ?, 'C', 'Civil', ?, ?, ?)`,
  );
  const skill = db.prepare("INSERT INTO directory_skills (person_id, code, label, type_code, type, active, changed_import_id) VALUES (?, ?, ?, 'S', 'Spécialité ordinale', 1, ?)");
  const site = db.prepare(
    `INSERT INTO directory_sites (person_id, site_key, mode_code, mode, sector_code, sector, structure_id, structure_name, structure_sign, siret,
       finess, address, address_extra, postcode, cedex, commune_code, commune, commune_label, country_code, country, phone, phone2, email, active,
       changed_import_id)
     VALUES (?, ?, 'L', 'Libéral', '', '', '', '', '', '', '', '', '', '', '', ?, ?, ?, '', '', ?, '', '', ?, ?)`,
  );
  const mssante = db.prepare("INSERT INTO directory_mssante (person_id, address, box_type, active, changed_import_id) VALUES (?, ?, 'PER', 1, ?)");
  const link = db.prepare("INSERT INTO member_links (user_id, national_id, linked_at, linked_by) VALUES (?, ?, 0, 'test')");
  db.transaction(() => {
    for (const p of people) {
      const nationalId = `8${p.rpps}`;
      const id = Number(person.run(nationalId, p.rpps, p.last, p.first, p.profession, p.active === false ? 0 : 1, importId, importId).lastInsertRowid);
      for (const [i, label] of (p.skills ?? []).entries()) skill.run(id, `SK${i}`, label, importId);
      for (const [i, [code, phone, state]] of p.sites.entries()) {
        const name = communeNames.get(code) ?? "";
        site.run(id, `site${i}`, code, name.toUpperCase(), name, phone, state === "inactive" ? 0 : 1, importId);
      }
      if (p.mssante) mssante.run(id, p.mssante, importId);
      if (p.matrix) link.run(p.matrix, nationalId);
    }
  })();
}
