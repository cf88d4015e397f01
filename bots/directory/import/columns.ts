/**
 * Column names of the Annuaire Santé open-data extracts, as published by the ANS.
 * Files are recognised from their header and columns are found by name, never by position:
 * the 52-column and 56-column headers of Personne_activite differ in the middle
 * (the département columns were renamed, four columns were added at the end), and
 * small spelling variants exist between releases ("Libellé civilité exercice",
 * "(coord. Structure)"), hence the case-insensitive matching and the aliases.
 */
export type FileKind = "activite" | "savoir-faire" | "mssante";

type ColumnSpec = { readonly names: readonly string[]; readonly required: boolean };

const col = (required: boolean, ...names: string[]): ColumnSpec => ({ names, required });

export const ACTIVITE_COLUMNS = {
  idType: col(true, "Type d'identifiant PP"),
  identifier: col(true, "Identifiant PP"),
  nationalId: col(true, "Identification nationale PP"),
  practiceCivilityCode: col(false, "Code civilité d'exercice"),
  practiceCivility: col(false, "Libellé civilité d'exercice", "Libellé civilité exercice"),
  civilityCode: col(false, "Code civilité"),
  civility: col(false, "Libellé civilité"),
  lastName: col(true, "Nom d'exercice"),
  firstName: col(true, "Prénom d'exercice"),
  professionCode: col(true, "Code profession"),
  profession: col(true, "Libellé profession"),
  categoryCode: col(false, "Code catégorie professionnelle"),
  category: col(false, "Libellé catégorie professionnelle"),
  skillTypeCode: col(false, "Code type savoir-faire"),
  skillType: col(false, "Libellé type savoir-faire"),
  skillCode: col(false, "Code savoir-faire"),
  skill: col(false, "Libellé savoir-faire"),
  modeCode: col(false, "Code mode exercice"),
  mode: col(false, "Libellé mode exercice"),
  siret: col(false, "Numéro SIRET site"),
  finess: col(false, "Numéro FINESS site"),
  structureId: col(false, "Identifiant technique de la structure"),
  structureName: col(false, "Raison sociale site"),
  structureSign: col(false, "Enseigne commerciale site"),
  recipientExtra: col(false, "Complément destinataire (coord. structure)"),
  placeExtra: col(false, "Complément point géographique (coord. structure)"),
  streetNumber: col(false, "Numéro Voie (coord. structure)"),
  streetRepeat: col(false, "Indice répétition voie (coord. structure)"),
  streetType: col(false, "Libellé type de voie (coord. structure)"),
  street: col(false, "Libellé Voie (coord. structure)"),
  distribution: col(false, "Mention distribution (coord. structure)"),
  cedex: col(false, "Bureau cedex (coord. structure)"),
  postcode: col(true, "Code postal (coord. structure)"),
  communeCode: col(true, "Code commune (coord. structure)"),
  commune: col(true, "Libellé commune (coord. structure)"),
  countryCode: col(false, "Code pays (coord. structure)"),
  country: col(false, "Libellé pays (coord. structure)"),
  phone: col(false, "Téléphone (coord. structure)"),
  phone2: col(false, "Téléphone 2 (coord. structure)"),
  email: col(false, "Adresse e-mail (coord. structure)"),
  sectorCode: col(false, "Code secteur d'activité"),
  sector: col(false, "Libellé secteur d'activité"),
} as const;

export const SAVOIR_FAIRE_COLUMNS = {
  nationalId: col(true, "Identification nationale PP"),
  skillTypeCode: col(false, "Code type savoir-faire"),
  skillType: col(false, "Libellé type savoir-faire"),
  skillCode: col(true, "Code savoir-faire"),
  skill: col(true, "Libellé savoir-faire"),
} as const;

export const MSSANTE_COLUMNS = {
  boxType: col(false, "Type de BAL"),
  address: col(true, "Adresse BAL"),
  nationalId: col(true, "Identification nationale PP"),
} as const;

export type ColumnIndex<T> = { readonly [K in keyof T]: number };

function normaliseHeader(name: string): string {
  return name.trim().toLowerCase().replace(/[’`]/g, "'").replace(/\s+/g, " ");
}

/** Header fields without the empty one the trailing `|` leaves at the end. */
export function headerFields(line: string): string[] {
  const fields = line.split("|");
  if (fields.at(-1) === "") fields.pop();
  return fields;
}

/** What the header says the file is, or undefined when it is no extract we know. */
export function recogniseKind(fields: readonly string[]): FileKind | "other-extract" | undefined {
  const names = new Set(fields.map(normaliseHeader));
  if (names.has("adresse bal")) return "mssante";
  if ([...names].some((n) => n.endsWith("(coord. structure)"))) return "activite";
  if (!names.has("identification nationale pp") && !names.has("identifiant pp")) return undefined;
  if (names.has("code savoir-faire") || names.has("libellé savoir-faire")) return "savoir-faire";
  return "other-extract";
}

export function columnsFor(kind: FileKind): Record<string, ColumnSpec> {
  if (kind === "activite") return ACTIVITE_COLUMNS;
  if (kind === "savoir-faire") return SAVOIR_FAIRE_COLUMNS;
  return MSSANTE_COLUMNS;
}

/** Position of each wanted column (-1 when an optional one is absent), or the missing required names. */
export function indexColumns<T extends Record<string, ColumnSpec>>(
  spec: T,
  fields: readonly string[],
): { index: ColumnIndex<T>; missing: string[] } {
  const positions = new Map<string, number>();
  fields.forEach((name, i) => {
    const key = normaliseHeader(name);
    if (!positions.has(key)) positions.set(key, i);
  });
  const index: Record<string, number> = {};
  const missing: string[] = [];
  for (const [key, column] of Object.entries(spec)) {
    const found = column.names.map((n) => positions.get(normaliseHeader(n))).find((i) => i !== undefined);
    index[key] = found ?? -1;
    if (found === undefined && column.required) missing.push(column.names[0] ?? key);
  }
  return { index: index as ColumnIndex<T>, missing };
}
