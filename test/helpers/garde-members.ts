import type { Clock } from "../../bots/core/clock.ts";
import type { Db } from "../../bots/core/store/database.ts";
import { Membership } from "../../bots/directory/membership.ts";
import { insertPeople } from "./directory-rows.ts";

export const ANNE = "@anne:cpts.test";
export const MARC = "@marc:cpts.test";
export const COORD = "@coord:cpts.test";

/**
 * Two verified members, approved through the membership flow: Anne (GP in Douai, practice
 * phone "03 27 00 00 01") and Marc (nurse in Sin-le-Noble, no phone in the directory).
 */
export function insertMembers(db: Db, clock: Clock): Membership {
  insertPeople(db, [
    { rpps: "10001234567", lastName: "Lefèvre", firstName: "Anne", profession: "Médecin", skills: ["Médecine Générale"], commune: "Douai" },
    { rpps: "10007654321", lastName: "O'Neil", firstName: "Marc", profession: "Infirmier", commune: "Sin-le-Noble" },
  ]);
  db.prepare("UPDATE directory_sites SET phone = ? WHERE person_id = (SELECT id FROM directory_people WHERE identifier = ?)").run("03 27 00 00 01", "10001234567");
  const membership = new Membership(db, clock);
  for (const [userId, rpps] of [[ANNE, "10001234567"], [MARC, "10007654321"]] as const) {
    membership.approve(membership.openRequest(userId, membership.findByRpps(rpps)!.nationalId, true).id, COORD);
  }
  return membership;
}
