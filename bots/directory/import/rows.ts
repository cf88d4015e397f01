import { locateInTerritory, type Territory } from "../territory.ts";
import type { ACTIVITE_COLUMNS, ColumnIndex, MSSANTE_COLUMNS, SAVOIR_FAIRE_COLUMNS } from "./columns.ts";
import { parseIdentifier } from "./identifiers.ts";
import type { KeptRows } from "./records.ts";

/** The outcome of one data row: kept, out of scope, practised abroad, or rejected with a reason in French. */
export type RowOutcome = "kept" | "out" | "abroad" | { readonly rejected: string };

/**
 * France in the ANS nomenclature TRE_R20 « Pays » as the Annuaire Santé writes it: 99000
 * and 99100 both occur; an empty code is France too (the commune code then says where).
 */
const FRANCE = new Set(["", "99000", "99100"]);
export const isFrance = (countryCode: string): boolean => FRANCE.has(countryCode);
const join = (...parts: string[]): string => parts.filter((p) => p !== "").join(" ");

/**
 * Copies a kept row's fields: split() returns slices that keep the whole 1 MB chunk they
 * came from alive, and a batch of kept rows waiting for the staging tables would otherwise
 * pin most of the file in memory when the territory's rows are sparse. One copy of the row,
 * split again (no field holds the separator), costs far less than a copy per field.
 */
const detach = (fields: string[]): string[] => Buffer.from(fields.join("|"), "utf8").toString("utf8").split("|");

/**
 * Maps activité rows; the territory test runs first and on plain sets because almost
 * every row of the national file is elsewhere and must cost as little as possible.
 */
export function activiteRowMapper(
  territory: Territory,
  index: ColumnIndex<typeof ACTIVITE_COLUMNS>,
  into: KeptRows,
  tally: { territoryCodeRows: number },
) {
  const codes = new Set(territory.communes.map((c) => c.code));
  const postcodes = new Set(territory.communes.flatMap((c) => c.postcodes));
  const at = (f: string[], i: number): string => (i < 0 ? "" : (f[i] ?? "").trim());
  return (f: string[]): RowOutcome => {
    const communeCode = at(f, index.communeCode);
    if (communeCode !== "" ? !codes.has(communeCode) : !postcodes.has(at(f, index.postcode))) return "out";
    if (communeCode !== "") tally.territoryCodeRows++;
    const countryCode = at(f, index.countryCode);
    // A foreign practice whose postcode (or even commune code) looks like one of ours is not ours.
    if (!isFrance(countryCode)) return "abroad";
    const commune = locateInTerritory(territory, { communeCode, postcode: at(f, index.postcode), communeName: at(f, index.commune) });
    if (!commune) return "out";
    f = detach(f);
    const id = parseIdentifier(at(f, index.idType), at(f, index.identifier), at(f, index.nationalId));
    if (typeof id === "string") return { rejected: id };
    const lastName = at(f, index.lastName);
    if (lastName === "") return { rejected: "nom d'exercice manquant" };
    const professionCode = at(f, index.professionCode);
    if (professionCode === "") return { rejected: "code profession manquant" };
    const nationalId = id.nationalId;
    into.person({
      nationalId, idType: id.type, identifier: id.identifier,
      civilityCode: at(f, index.civilityCode), civility: at(f, index.civility), practiceCivility: at(f, index.practiceCivility),
      lastName, firstName: at(f, index.firstName),
      professionCode, profession: at(f, index.profession),
      categoryCode: at(f, index.categoryCode), category: at(f, index.category),
    });
    const address = join(at(f, index.streetNumber), at(f, index.streetRepeat), at(f, index.streetType), at(f, index.street));
    const structureId = at(f, index.structureId);
    const postcode = at(f, index.postcode);
    const siteKey = structureId !== "" ? `s:${structureId}` : `a:${address}|${postcode}|${commune.code}`.toUpperCase();
    into.site({
      nationalId, siteKey,
      modeCode: at(f, index.modeCode), mode: at(f, index.mode), sectorCode: at(f, index.sectorCode), sector: at(f, index.sector),
      structureId, structureName: at(f, index.structureName), structureSign: at(f, index.structureSign),
      siret: at(f, index.siret), finess: at(f, index.finess),
      address, addressExtra: join(at(f, index.recipientExtra), at(f, index.placeExtra), at(f, index.distribution)),
      postcode, cedex: at(f, index.cedex), communeCode: commune.code, commune: commune.name, communeLabel: at(f, index.commune),
      countryCode, country: at(f, index.country),
      phone: at(f, index.phone), phone2: at(f, index.phone2), email: at(f, index.email),
    });
    const skillCode = at(f, index.skillCode);
    if (skillCode !== "") {
      into.skill({
        nationalId, code: skillCode, label: at(f, index.skill), typeCode: at(f, index.skillTypeCode), type: at(f, index.skillType),
      });
    }
    return "kept";
  };
}

export function savoirFaireRowMapper(isKept: (nationalId: string) => boolean, index: ColumnIndex<typeof SAVOIR_FAIRE_COLUMNS>, into: KeptRows) {
  const at = (f: string[], i: number): string => (i < 0 ? "" : (f[i] ?? "").trim());
  return (f: string[]): RowOutcome => {
    const nationalId = at(f, index.nationalId);
    if (!isKept(nationalId)) return "out";
    f = detach(f);
    const code = at(f, index.skillCode);
    if (code === "") return { rejected: "code savoir-faire manquant" };
    into.skill({
      nationalId, code, label: at(f, index.skill), typeCode: at(f, index.skillTypeCode), type: at(f, index.skillType),
    });
    return "kept";
  };
}

const MAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function mssanteRowMapper(isKept: (nationalId: string) => boolean, index: ColumnIndex<typeof MSSANTE_COLUMNS>, into: KeptRows) {
  const at = (f: string[], i: number): string => (i < 0 ? "" : (f[i] ?? "").trim());
  return (f: string[]): RowOutcome => {
    const nationalId = at(f, index.nationalId);
    if (!isKept(nationalId)) return "out";
    f = detach(f);
    const address = at(f, index.address).toLowerCase();
    if (!MAIL.test(address)) return { rejected: `adresse MSSanté invalide (« ${at(f, index.address)} »)` };
    into.mssante({ nationalId, address, boxType: at(f, index.boxType) });
    return "kept";
  };
}
