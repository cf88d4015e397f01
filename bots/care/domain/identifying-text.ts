// Does a short text (a case's care theme, shown in room names) look like it names a patient?
// Heuristics, tuned to err on the side of asking: a false alarm costs one "oui", a name in a
// room name is visible to the server and to every device's room list. Pure.
import { foldText } from "../../core/i18n/lang.ts";
import FRENCH_NAMES from "./french-names.json" with { type: "json" };

export type FindingKind = "civility" | "capitalised-word" | "first-name" | "surname" | "initials" | "date" | "identifier" | "phone" | "email";

export interface Finding {
  readonly kind: FindingKind;
  /** The part of the text that triggered it, as typed. */
  readonly text: string;
}

const CIVILITY = /(?<![\p{L}])(?:m|mr|mme|mlle|mrs|ms|monsieur|madame|mademoiselle|mister)\.?\s+\p{L}[\p{L}'-]*/giu;
const DATE = /(?<!\d)(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|(?:19|20)\d{2}-\d{2}-\d{2})(?!\d)/g;
const BORN = /(?<![\p{L}])n[ée]e?\s+(?:le|en)\s+\S+/giu;
const PHONE = /(?<!\d)(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)/g;
const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/g;
/** A run of 7 digits or more (spaces allowed): an INS/NIR, a file number, a phone number. */
const LONG_NUMBER = /(?<!\d)\d(?:\s?\d){6,}(?!\d)/g;
const INITIALS = /(?<![\p{L}])\p{Lu}\.\s?\p{Lu}\.?(?![\p{L}])/gu;
const WORD = /[\p{L}][\p{L}\p{N}'’-]*/gu;

/**
 * Medical abbreviations written in capitals; any other all-capital word (DUPONT) is taken
 * for a surname typed in capitals, as French administrative habit has it.
 */
const ACRONYMS = new Set(
  (
    "ald aod ap avc avk bav bpco cpts css dac dmla dt1 dt2 ecg ehpad eps etp fa fiv had hbpm hta ic idm ide inr irc ivg k lca mco mg mk mnd pad pma pmi ptg pth rcp " +
    "sep sla ssiad ssr tca tdah tsa tvp usld vih vhc vad bilan post op"
  ).split(" "),
);

/** Words that often open a care theme: a capital there is the phone's autocapitalisation, not a name. */
const CARE_WORDS = new Set(
  (
    "accompagnement addiction alimentation amputation anemie anticoagulant anticoagulants apres arret asthme autonomie avc bilan bpco brulure cancer cardiaque " +
    "cardiologie chimio chimiotherapie chirurgie chute chutes cicatrisation coordination cystite decompensation demence denutrition depression deglutition " +
    "diabete diabetique dialyse domicile douleur douleurs education enfant entree escarre escarres fin fracture grossesse handicap hospitalisation " +
    "infection injection injections insuffisance insuline kine kinesitherapie maintien maladie memoire nourrisson nutrition obesite oncologie " +
    "orthopedie pansement pansements parcours parkinson perfusion personne plaie plaies polypathologie post postnatal postpartum prevention " +
    "postop prise psychiatrie readaptation reeducation renale respiratoire retour sante sevrage sortie soins soin stomie suivi surveillance traitement " +
    "troubles ulcere vaccination vie adressage equipe cas patient patiente"
  ).split(" "),
);

/**
 * France's frequent first names and surnames, folded (see the file's `source`): a name typed
 * in lower case ("suivi marcelle lefrancq") is caught as well as a capitalised one.
 */
const FIRST_NAMES: ReadonlySet<string> = new Set(FRENCH_NAMES.firstNames);
const SURNAMES: ReadonlySet<string> = new Set(FRENCH_NAMES.surnames);

function matches(text: string, pattern: RegExp, kind: FindingKind): Finding[] {
  return [...text.matchAll(pattern)].map((m) => ({ kind, text: m[0].trim() }));
}

/** Every part of `text` that may identify a person, in order of appearance; empty when none. */
export function findIdentifyingPatterns(text: string): Finding[] {
  const found: Finding[] = [
    ...matches(text, CIVILITY, "civility"),
    ...matches(text, BORN, "date"),
    ...matches(text, DATE, "date"),
    ...matches(text, EMAIL, "email"),
    ...matches(text, PHONE, "phone"),
    ...matches(text, LONG_NUMBER, "identifier"),
    ...matches(text, INITIALS, "initials"),
  ];
  const words = [...text.matchAll(WORD)];
  words.forEach((m, index) => {
    const word = m[0];
    const folded = foldText(word).replace(/['’-]/g, "");
    // "jean-pierre", "d'hubert": each part is looked up, whatever the case and accents.
    const parts = foldText(word).split(/['’-]/).filter((p) => !CARE_WORDS.has(p));
    if (parts.some((p) => FIRST_NAMES.has(p))) found.push({ kind: "first-name", text: word });
    else if (parts.some((p) => SURNAMES.has(p))) found.push({ kind: "surname", text: word });
    else if (looksLikeName(word, folded, index)) found.push({ kind: "capitalised-word", text: word });
  });
  return dedupe(found);
}

function looksLikeName(word: string, folded: string, index: number): boolean {
  const letters = word.replace(/['’-]/g, "");
  if (letters.length < 2) return false;
  const allCapitals = letters === letters.toUpperCase() && letters !== letters.toLowerCase();
  if (allCapitals) return !ACRONYMS.has(folded);
  const capitalised = /^\p{Lu}/u.test(word);
  if (!capitalised) return false;
  // The first word's capital may be the keyboard's: only a word unknown to care themes is suspect.
  return index > 0 || !CARE_WORDS.has(folded);
}

/** One finding per distinct text; a word already inside a longer finding (civility) is not repeated. */
function dedupe(found: readonly Finding[]): Finding[] {
  const out: Finding[] = [];
  for (const f of found) {
    if (out.some((o) => o.text === f.text || o.text.includes(f.text))) continue;
    out.push(f);
  }
  return out;
}
