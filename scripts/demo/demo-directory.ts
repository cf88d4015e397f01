// The demo CPTS's slice of the national directory, written in the published extract format
// (invented people) and loaded by the same import as the real file.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ACTIVITE_HEADER_56, MSSANTE_HEADER, SAVOIR_FAIRE_HEADER, line, row, withLuhnKey } from "../../bots/directory/fixtures/extract-format.ts";

type Profession = readonly [code: string, label: string];
const MEDECIN: Profession = ["10", "Médecin"];
const PHARMACIEN: Profession = ["21", "Pharmacien"];
const SAGE_FEMME: Profession = ["50", "Sage-Femme"];
const INFIRMIER: Profession = ["60", "Infirmier"];
const KINE: Profession = ["70", "Masseur-Kinésithérapeute"];
const GENERAL_PRACTICE = ["SM54", "Médecine Générale"] as const;
const CARDIOLOGY = ["SM04", "Cardiologie et maladies vasculaires"] as const;

interface DemoProfessional {
  readonly rpps: string;
  readonly lastName: string;
  readonly firstName: string;
  readonly profession: Profession;
  readonly specialty?: readonly [string, string];
  readonly commune: readonly [code: string, name: string, postcode: string];
  /** The demo account this professional logs in with, if any. */
  readonly localpart?: string;
  /** Their MSSanté address in the national directory (the demo bridge routes mail sent to it to them). */
  readonly mssante?: string;
}

const DOUAI = ["59178", "Douai", "59500"] as const;
const SIN = ["59569", "Sin-le-Noble", "59450"] as const;
const WAZIERS = ["59654", "Waziers", "59119"] as const;
const CUINCY = ["59165", "Cuincy", "59553"] as const;
const AUBY = ["59028", "Auby", "59950"] as const;
const ARLEUX = ["59015", "Arleux", "59151"] as const;
const MONTIGNY = ["59414", "Montigny-en-Ostrevent", "59182"] as const;

export const DEMO_PROFESSIONALS: readonly DemoProfessional[] = [
  { rpps: withLuhnKey("1009900001"), lastName: "Dupont", firstName: "Julien", profession: MEDECIN, specialty: GENERAL_PRACTICE, commune: DOUAI, localpart: "dr.dupont", mssante: "julien.dupont@medecin.mssante.localhost" },
  { rpps: withLuhnKey("1009900002"), lastName: "Bernard", firstName: "Sophie", profession: INFIRMIER, commune: SIN, localpart: "ide.bernard" },
  { rpps: withLuhnKey("1009900003"), lastName: "Petit", firstName: "Karim", profession: PHARMACIEN, commune: WAZIERS, localpart: "pharma.petit" },
  { rpps: withLuhnKey("1009900004"), lastName: "Leroy", firstName: "Claire", profession: SAGE_FEMME, commune: CUINCY, localpart: "sf.leroy" },
  { rpps: withLuhnKey("1009900005"), lastName: "Moreau", firstName: "Thomas", profession: KINE, commune: DOUAI, localpart: "kine.moreau" },
  { rpps: withLuhnKey("1009900006"), lastName: "Lefèvre", firstName: "Anne", profession: MEDECIN, specialty: GENERAL_PRACTICE, commune: SIN },
  { rpps: withLuhnKey("1009900007"), lastName: "Vandenbroucke", firstName: "Pierre", profession: MEDECIN, specialty: CARDIOLOGY, commune: DOUAI },
  { rpps: withLuhnKey("1009900008"), lastName: "O'Neil", firstName: "Marc", profession: INFIRMIER, commune: AUBY },
  { rpps: withLuhnKey("1009900009"), lastName: "Delattre", firstName: "Élodie", profession: KINE, commune: CUINCY },
  { rpps: withLuhnKey("1009900010"), lastName: "Hochart", firstName: "Lucie", profession: SAGE_FEMME, commune: ARLEUX },
  { rpps: withLuhnKey("1009900011"), lastName: "Kaczmarek", firstName: "Stéphane", profession: PHARMACIEN, commune: MONTIGNY },
  { rpps: withLuhnKey("1009900012"), lastName: "Dubois", firstName: "Nadia", profession: INFIRMIER, commune: DOUAI },
];

/** Writes the demo extract files into `dir`; returns their paths, ready for importDirectory. */
export function writeDemoExtract(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const stamp = "202611230000";
  const activite = DEMO_PROFESSIONALS.map((p, index) =>
    row(ACTIVITE_HEADER_56, {
      ...identity(p),
      "Code civilité d'exercice": "",
      "Code mode exercice": "L",
      "Libellé mode exercice": "Libéral",
      "Identifiant technique de la structure": `DEMO${String(index + 1).padStart(4, "0")}`,
      "Raison sociale site": `Cabinet ${p.lastName}`,
      "Numéro Voie (coord. structure)": String(index + 3),
      "Libellé type de voie (coord. structure)": "Rue",
      "Libellé Voie (coord. structure)": "de la Santé",
      "Code postal (coord. structure)": p.commune[2],
      "Code commune (coord. structure)": p.commune[0],
      "Libellé commune (coord. structure)": p.commune[1].toUpperCase(),
      "Téléphone (coord. structure)": `03270000${String(index + 10).padStart(2, "0")}`,
    }),
  );
  const savoirFaire = DEMO_PROFESSIONALS.filter((p) => p.specialty).map((p) =>
    row(SAVOIR_FAIRE_HEADER, {
      ...identity(p),
      "Code type savoir-faire": "S",
      "Libellé type savoir-faire": "Spécialité ordinale",
      "Code savoir-faire": p.specialty![0],
      "Libellé savoir-faire": p.specialty![1],
    }),
  );
  const mailboxes = DEMO_PROFESSIONALS.filter((p) => p.mssante).map((p) =>
    row(MSSANTE_HEADER, {
      "Type de BAL": "PER",
      "Adresse BAL": p.mssante!,
      "Type Identifiant PP": "8",
      "Identifiant PP": p.rpps,
      "Identification nationale PP": `8${p.rpps}`,
      "Nom d'exercice": p.lastName,
      "Prénom d'exercice": p.firstName,
    }),
  );
  const files = [
    [join(dir, `PS_LibreAcces_Personne_activite_${stamp}.txt`), [line(ACTIVITE_HEADER_56), ...activite]],
    [join(dir, `PS_LibreAcces_SavoirFaire_${stamp}.txt`), [line(SAVOIR_FAIRE_HEADER), ...savoirFaire]],
    [join(dir, `Extraction_Correspondance_MSSante_${stamp}.txt`), [line(MSSANTE_HEADER), ...mailboxes]],
  ] as const;
  for (const [path, lines] of files) writeFileSync(path, `${lines.join("\n")}\n`);
  return files.map(([path]) => path);
}

function identity(p: DemoProfessional): Record<string, string> {
  return {
    "Type d'identifiant PP": "8",
    "Identifiant PP": p.rpps,
    "Identification nationale PP": `8${p.rpps}`,
    "Nom d'exercice": p.lastName,
    "Prénom d'exercice": p.firstName,
    "Code profession": p.profession[0],
    "Libellé profession": p.profession[1],
    "Code catégorie professionnelle": "C",
    "Libellé catégorie professionnelle": "Civil",
  };
}
