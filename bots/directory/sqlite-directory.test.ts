import { describe, expect, it } from "vitest";
import { openDatabase } from "../database.ts";
import { insertPeople } from "../../test/helpers/directory-rows.ts";
import { Membership } from "./membership.ts";
import { SqliteDirectory } from "./sqlite-directory.ts";
import { testCpts } from "./test-cpts.ts";

const COORD = "@coord:cpts.test";

/** Anne (GP, Douai, two phones), Marc (nurse, no site) verified; Paul (physio) verified then deactivated. */
function setup() {
  const db = openDatabase(":memory:");
  const clock = { now: () => 1_000 };
  insertPeople(db, [
    { rpps: "10001234567", lastName: "Lefèvre", firstName: "Anne", profession: "Médecin", skills: ["Médecine Générale", "Gériatrie"], commune: "Douai", communeCode: "59178" },
    { rpps: "10007654321", lastName: "O'Neil", firstName: "Marc", profession: "Infirmier" },
    { rpps: "10005555555", lastName: "Roux", firstName: "Paul", profession: "Masseur-Kinésithérapeute", commune: "Douai", communeCode: "59178" },
  ]);
  const annePerson = "(SELECT id FROM directory_people WHERE identifier = '10001234567')";
  db.prepare(`UPDATE directory_sites SET phone = '03 27 00 00 01' WHERE person_id = ${annePerson}`).run();
  db.prepare(
    `INSERT INTO directory_sites (person_id, site_key, mode_code, mode, sector_code, sector, structure_id, structure_name, structure_sign, siret, finess, address, address_extra,
       postcode, cedex, commune_code, commune, commune_label, country_code, country, phone, phone2, email, active, changed_import_id)
     SELECT id, 'second', 'L', '', '', '', '', '', '', '', '', '', '', '59500', '', '59178', 'Douai', 'DOUAI', '', '', '06 00 00 00 02', '', '', 1, first_import_id FROM directory_people WHERE identifier = '10001234567'`,
  ).run();
  db.prepare(`INSERT INTO directory_mssante (person_id, address, box_type, active, changed_import_id) SELECT id, 'anne.lefevre@medecin.mssante.fr', 'PER', 1, first_import_id FROM directory_people WHERE identifier = '10001234567'`).run();
  const membership = new Membership(db, clock);
  for (const [user, rpps] of [["@anne:cpts.test", "10001234567"], ["@marc:cpts.test", "10007654321"], ["@paul:cpts.test", "10005555555"]] as const) {
    membership.approve(membership.openRequest(user, membership.findByRpps(rpps)!.nationalId, true).id, COORD);
  }
  membership.deactivate("@paul:cpts.test");
  return new SqliteDirectory(db, clock, testCpts().territory);
}

describe("SqliteDirectory (the Directory port over bots.db)", () => {
  it("tells verified, deactivated and unknown accounts apart", () => {
    const directory = setup();
    expect(["@anne:cpts.test", "@paul:cpts.test", "@nobody:cpts.test"].map((u) => directory.memberStatus(u))).toEqual(["verified", "deactivated", "unknown"]);
    expect(directory.isVerified("@paul:cpts.test")).toBe(false);
    expect(directory.memberOf("@anne:cpts.test")?.person.professionLabel).toBe("Médecin");
    expect(directory.memberOf("@paul:cpts.test")).toBeUndefined();
  });

  it("lists the practising members with their first active site, and their specialties and phones as published", () => {
    const directory = setup();
    expect(directory.practisingMembers()).toEqual([
      { userId: "@anne:cpts.test", profession: "Médecin", firstSite: { communeCode: "59178", postcode: "", commune: "Douai" } },
      { userId: "@marc:cpts.test", profession: "Infirmier", firstSite: undefined },
    ]);
    expect(directory.specialtiesOf("@anne:cpts.test")).toEqual(["Médecine Générale", "Gériatrie"]);
    expect(directory.practicePhones("@anne:cpts.test")).toEqual(["03 27 00 00 01", "06 00 00 00 02"]);
    expect(directory.practicePhones("@marc:cpts.test")).toEqual([]);
  });

  it("finds the verified member behind an MSSanté address, whatever its case", () => {
    const directory = setup();
    expect(directory.memberForMssanteAddress("Anne.Lefevre@medecin.mssante.fr")).toBe("@anne:cpts.test");
    expect(directory.memberForMssanteAddress("paul.roux@kine.mssante.fr")).toBeUndefined();
  });
});
