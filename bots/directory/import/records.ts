import type { IdentifierType } from "./identifiers.ts";

/** What the import keeps of one professional, from Personne_activite. */
export interface PersonRecord {
  readonly nationalId: string;
  readonly idType: IdentifierType;
  readonly identifier: string;
  readonly civilityCode: string;
  readonly civility: string;
  readonly practiceCivility: string;
  readonly lastName: string;
  readonly firstName: string;
  readonly professionCode: string;
  readonly profession: string;
  readonly categoryCode: string;
  readonly category: string;
}

/** One practice site (one activity row) of a professional, located in the territory. */
export interface SiteRecord {
  readonly nationalId: string;
  /** Stable within a person: the structure's technical id, else the address. */
  readonly siteKey: string;
  readonly modeCode: string;
  readonly mode: string;
  readonly sectorCode: string;
  readonly sector: string;
  readonly structureId: string;
  readonly structureName: string;
  readonly structureSign: string;
  readonly siret: string;
  readonly finess: string;
  readonly address: string;
  readonly addressExtra: string;
  readonly postcode: string;
  readonly cedex: string;
  /** INSEE code of the territory commune the site was located in (also when the extract left it empty). */
  readonly communeCode: string;
  readonly commune: string;
  readonly communeLabel: string;
  readonly countryCode: string;
  readonly country: string;
  readonly phone: string;
  readonly phone2: string;
  readonly email: string;
}

export interface SkillRecord {
  readonly nationalId: string;
  readonly typeCode: string;
  readonly type: string;
  readonly code: string;
  readonly label: string;
}

export interface MssanteRecord {
  readonly nationalId: string;
  readonly address: string;
  readonly boxType: string;
}

/**
 * Where the row mappers put what they keep, row by row: the import writes it to staging
 * tables in batches (staging.ts) instead of holding it. A row repeated in the extract
 * counts once, its last occurrence's values kept.
 */
export interface KeptRows {
  person(record: PersonRecord): void;
  site(record: SiteRecord): void;
  skill(record: SkillRecord): void;
  mssante(record: MssanteRecord): void;
}
