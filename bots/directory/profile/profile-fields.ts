import type { Localized } from "../../core/i18n/lang.ts";
import { foldName } from "../territory.ts";
import { foldedWords, longestPhraseAt } from "../search/phrases.ts";
import { CARE_MODE_WORDS, EQUIPMENT_WORDS, LANGUAGE_WORDS } from "../search/vocabulary.ts";
import { PROFILE_MESSAGES as M } from "./messages.ts";

/** What a member adds to their national directory card; the national data itself is never edited. */
export interface Profile {
  readonly skills: readonly string[];
  readonly languages: readonly string[];
  readonly equipment: readonly string[];
  readonly careModes: readonly string[];
  readonly newPatients: boolean | null;
  readonly snp: boolean | null;
  readonly hours: string | null;
}

export const EMPTY_PROFILE: Profile = { skills: [], languages: [], equipment: [], careModes: [], newPatients: null, snp: null, hours: null };

export type FieldParse<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: Localized; readonly params?: Record<string, string> };

export interface ProfileField<K extends keyof Profile = keyof Profile> {
  readonly key: K;
  /** What people type after `!profil` (folded). */
  readonly names: readonly string[];
  readonly label: Localized;
  readonly question: Localized;
  parse(input: string): FieldParse<Profile[K]>;
}

const MAX_TAGS = 20;
const MAX_TAG_LENGTH = 40;
const MAX_HOURS_LENGTH = 200;
const CLEAR_WORDS = new Set(["aucun", "aucune", "rien", "none", "effacer"]);
const YES = new Set(["oui", "o", "yes", "y", "vrai"]);
const NO = new Set(["non", "n", "no", "faux"]);

function isClear(input: string): boolean {
  return CLEAR_WORDS.has(foldName(input));
}

function parseTags(input: string): FieldParse<readonly string[]> {
  if (isClear(input)) return { ok: true, value: [] };
  const tags = input
    .split(/[,;\n]|\s+et\s+/)
    .map((t) => t.trim().replace(/\s+/g, " "))
    .filter((t) => t.length > 0);
  const tooLong = tags.find((t) => t.length > MAX_TAG_LENGTH);
  if (tooLong) return { ok: false, error: M.tagTooLong, params: { tag: tooLong.slice(0, MAX_TAG_LENGTH), max: String(MAX_TAG_LENGTH) } };
  if (tags.length > MAX_TAGS) return { ok: false, error: M.tooManyTags, params: { max: String(MAX_TAGS) } };
  const seen = new Set<string>();
  return { ok: true, value: tags.filter((t) => !seen.has(foldName(t)) && seen.add(foldName(t))) };
}

/** Words from a closed vocabulary (phrases first: "langue des signes"), or the list of what was not understood. */
function parseVocabulary(input: string, vocabulary: ReadonlyMap<string, string>, accepted: string): FieldParse<readonly string[]> {
  if (isClear(input)) return { ok: true, value: [] };
  const words = foldedWords(input).filter((w) => w !== "et" && w !== "and");
  const values: string[] = [];
  const unknown: string[] = [];
  for (let i = 0; i < words.length; ) {
    const match = longestPhraseAt(words, i, vocabulary);
    if (match && !values.includes(match.value)) values.push(match.value);
    if (!match) unknown.push(words[i]!);
    i += match?.length ?? 1;
  }
  if (unknown.length > 0) return { ok: false, error: M.unknownWords, params: { words: unknown.join(", "), accepted } };
  return { ok: true, value: values };
}

function parseYesNo(input: string): FieldParse<boolean | null> {
  const word = foldName(input);
  if (YES.has(word)) return { ok: true, value: true };
  if (NO.has(word)) return { ok: true, value: false };
  if (isClear(input)) return { ok: true, value: null };
  return { ok: false, error: M.yesOrNo };
}

export const PROFILE_FIELDS: readonly ProfileField[] = [
  { key: "skills", names: ["competences", "competence", "skills"], label: M.skillsLabel, question: M.skillsQuestion, parse: parseTags },
  {
    key: "languages",
    names: ["langues", "langue", "languages"],
    label: M.languagesLabel,
    question: M.languagesQuestion,
    parse: (input) => parseVocabulary(input, LANGUAGE_WORDS, "anglais, espagnol, allemand, italien, portugais, arabe, turc, polonais, néerlandais, langue des signes"),
  },
  {
    key: "equipment",
    names: ["equipements", "equipement", "equipment"],
    label: M.equipmentLabel,
    question: M.equipmentQuestion,
    parse: (input) => parseVocabulary(input, EQUIPMENT_WORDS, "ECG, échographe, spiromètre, holter, MAPA, dermatoscope, rétinographe"),
  },
  {
    key: "careModes",
    names: ["modes", "mode", "prise-en-charge"],
    label: M.careModesLabel,
    question: M.careModesQuestion,
    parse: (input) => parseVocabulary(input, CARE_MODE_WORDS, "cabinet, domicile, téléconsultation"),
  },
  { key: "newPatients", names: ["nouveaux-patients", "patients", "medecin-traitant"], label: M.newPatientsLabel, question: M.newPatientsQuestion, parse: parseYesNo },
  { key: "snp", names: ["snp"], label: M.snpLabel, question: M.snpQuestion, parse: parseYesNo },
  {
    key: "hours",
    names: ["horaires", "hours"],
    label: M.hoursLabel,
    question: M.hoursQuestion,
    parse: (input) => {
      if (isClear(input)) return { ok: true, value: null };
      const hours = input.trim().replace(/\s+/g, " ");
      if (hours.length > MAX_HOURS_LENGTH) return { ok: false, error: M.hoursTooLong, params: { max: String(MAX_HOURS_LENGTH) } };
      return { ok: true, value: hours };
    },
  },
];

export function fieldNamed(name: string): ProfileField | undefined {
  const folded = foldName(name).replace(/ /g, "-");
  return PROFILE_FIELDS.find((f) => f.names.includes(folded));
}
