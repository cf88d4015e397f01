// The directory's tables an import writes, column by column: shared by the staging tables
// that receive the kept rows (staging.ts) and the step that applies them (apply.ts).

/** SQL column ← record field. */
export type Columns = readonly (readonly [string, string])[];

export interface TableSpec {
  readonly table: string;
  /** Its staging table (temp schema: this connection only, on disk, dropped after the import). */
  readonly staging: string;
  /** Columns that identify a row (besides the person for child tables). */
  readonly key: Columns;
  readonly values: Columns;
  /** A professional's sites, skills or addresses: rows hang on directory_people by national id. */
  readonly child: boolean;
}

export const PEOPLE: TableSpec = {
  table: "directory_people", staging: "import_people", child: false,
  key: [["national_id", "nationalId"]],
  values: [["id_type", "idType"], ["identifier", "identifier"], ["civility_code", "civilityCode"], ["civility", "civility"],
    ["practice_civility", "practiceCivility"], ["last_name", "lastName"], ["first_name", "firstName"], ["profession_code", "professionCode"],
    ["profession", "profession"], ["category_code", "categoryCode"], ["category", "category"]],
};
export const SITES: TableSpec = {
  table: "directory_sites", staging: "import_sites", child: true,
  key: [["site_key", "siteKey"]],
  values: [["mode_code", "modeCode"], ["mode", "mode"], ["sector_code", "sectorCode"], ["sector", "sector"], ["structure_id", "structureId"],
    ["structure_name", "structureName"], ["structure_sign", "structureSign"], ["siret", "siret"], ["finess", "finess"], ["address", "address"],
    ["address_extra", "addressExtra"], ["postcode", "postcode"], ["cedex", "cedex"], ["commune_code", "communeCode"], ["commune", "commune"],
    ["commune_label", "communeLabel"], ["country_code", "countryCode"], ["country", "country"], ["phone", "phone"], ["phone2", "phone2"], ["email", "email"]],
};
export const SKILLS: TableSpec = {
  table: "directory_skills", staging: "import_skills", child: true,
  key: [["code", "code"]],
  values: [["label", "label"], ["type_code", "typeCode"], ["type", "type"]],
};
export const MSSANTE: TableSpec = {
  table: "directory_mssante", staging: "import_mssante", child: true,
  key: [["address", "address"]],
  values: [["box_type", "boxType"]],
};

export const TABLES: readonly TableSpec[] = [PEOPLE, SITES, SKILLS, MSSANTE];

/** A staging row's identity: the national id, then the table's key columns. */
export function stagingKey(spec: TableSpec): string[] {
  return [...(spec.child ? ["national_id"] : []), ...spec.key.map(([column]) => column)];
}

/** A staging row's columns with the record field each comes from. */
export function stagingColumns(spec: TableSpec): Columns {
  return [...(spec.child ? ([["national_id", "nationalId"]] as const) : []), ...spec.key, ...spec.values];
}
