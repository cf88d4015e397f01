import { describe, expect, it } from "vitest";
import { openDatabase } from "../../database.ts";
import { SqliteDirectory } from "../../directory/sqlite-directory.ts";
import { testCpts } from "../../directory/test-cpts.ts";
import { DirectoryGardePeople, toE164 } from "./garde-people.ts";
import { ANNE, insertMembers, MARC } from "../../../test/helpers/garde-members.ts";

function setup() {
  const db = openDatabase(":memory:");
  const clock = { now: () => 0 };
  const membership = insertMembers(db, clock);
  return { db, membership, people: new DirectoryGardePeople(new SqliteDirectory(db, clock, testCpts().territory)) };
}

describe("DirectoryGardePeople", () => {
  it("describes a verified member with their profession and the phone of their practice, ready to dial", () => {
    const { people } = setup();
    expect(people.describe(ANNE)).toEqual({ userId: ANNE, name: "Anne Lefèvre", profession: "Médecin — Médecine Générale", phone: "+33327000001", member: true });
    expect(people.describe(MARC)).toEqual({ userId: MARC, name: "Marc O'Neil", profession: "Infirmier", phone: null, member: true });
  });

  it("falls back to the Matrix id for an account that is not (or no longer) a verified member", () => {
    const { people, membership } = setup();
    expect(people.describe("@stranger:cpts.test")).toEqual({ userId: "@stranger:cpts.test", name: "@stranger:cpts.test", profession: null, phone: null, member: false });
    membership.deactivate(ANNE);
    expect(people.describe(ANNE)).toMatchObject({ name: ANNE, phone: null, member: false });
  });

  it("skips inactive sites and numbers it cannot dial", () => {
    const { db, people } = setup();
    db.prepare("UPDATE directory_sites SET active = 0 WHERE phone <> ''").run();
    const marcSite = db.prepare("SELECT s.* FROM directory_sites s JOIN directory_people p ON p.id = s.person_id WHERE p.identifier = '10007654321'").get() as Record<string, unknown>;
    const insert = db.prepare(
      `INSERT INTO directory_sites (person_id, site_key, mode_code, mode, sector_code, sector, structure_id, structure_name, structure_sign, siret, finess, address,
         address_extra, postcode, cedex, commune_code, commune, commune_label, country_code, country, phone, phone2, email, active, changed_import_id)
       VALUES (@person_id, @site_key, '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', @phone, '', '', 1, @changed_import_id)`,
    );
    insert.run({ ...marcSite, site_key: "bad", phone: "poste 12" });
    insert.run({ ...marcSite, site_key: "good", phone: "03.27.99.88.77" });
    expect(people.describe(ANNE).phone).toBeNull();
    expect(people.describe(MARC).phone).toBe("+33327998877");
  });
});

describe("toE164", () => {
  it.each([
    ["0327000001", "+33327000001"],
    ["03 27 00 00 01", "+33327000001"],
    ["06-12-34-56-78", "+33612345678"],
    ["+33 3 27 00 00 01", "+33327000001"],
    ["0032 2 123 45 67", "+3221234567"],
    ["", null],
    ["3624", null],
    ["00 12 34", null],
    ["poste 12", null],
  ])("reads %j as %j", (published, dialable) => {
    expect(toE164(published)).toBe(dialable);
  });
});
