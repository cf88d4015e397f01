import type { Lang, Localized } from "../../../bots/core/i18n/lang.ts";
import type { XdmCode } from "./metadata.ts";

export const LOINC_OID = "2.16.840.1.113883.6.1";

/**
 * The LOINC document types French senders use most on MSSanté (volets du CI-SIS: lettre de
 * liaison, CRH, CR d'examens, VSM, prescriptions), named as professionals say them.
 */
const LOINC_TYPES: Readonly<Record<string, Localized>> = {
  "11490-0": { fr: "Lettre de liaison de sortie", en: "Discharge letter" },
  "18842-5": { fr: "Compte rendu d'hospitalisation", en: "Discharge summary" },
  "34133-9": { fr: "Synthèse d'épisode de soins", en: "Summary of episode of care" },
  "11488-4": { fr: "Compte rendu de consultation", en: "Consultation note" },
  "60591-5": { fr: "Volet de synthèse médicale", en: "Patient summary" },
  "57833-6": { fr: "Prescription de médicaments", en: "Medication prescription" },
  "11502-2": { fr: "Compte rendu d'examens de biologie médicale", en: "Laboratory report" },
  "18748-4": { fr: "Compte rendu d'imagerie médicale", en: "Diagnostic imaging report" },
  "11526-1": { fr: "Compte rendu d'anatomie et de cytologie pathologiques", en: "Pathology report" },
  "11504-8": { fr: "Compte rendu opératoire", en: "Surgical operation note" },
  "34874-8": { fr: "Compte rendu opératoire", en: "Surgical operation note" },
  "11369-6": { fr: "Historique des vaccinations", en: "Immunization history" },
};

/**
 * What to call a document type: our label for a known LOINC code, else the sender's display
 * name, else the bare code; the code itself is always shown so nothing is hidden.
 */
export function documentTypeLabel(type: XdmCode, lang: Lang): string {
  const isLoinc = type.codingScheme === undefined || type.codingScheme === LOINC_OID;
  const known = isLoinc && Object.hasOwn(LOINC_TYPES, type.code) ? LOINC_TYPES[type.code]![lang] : undefined;
  const name = known ?? type.displayName?.trim();
  const code = isLoinc ? `LOINC ${type.code}` : type.code;
  return name ? `${name} (${code})` : code;
}
