// The guided `!snp` conversation, one question at a time. Pure: each answer is checked with
// the same domain rules as the one-line form, so both forms accept and refuse the same input.
import type { Localized } from "../core/i18n/lang.ts";
import { foldName, type Territory } from "../directory/territory.ts";
import {
  AGE_BANDS,
  type GpStatus,
  isUserId,
  lookupCommune,
  lookupMode,
  lookupProfession,
  NEED_MAX_CHARS,
  NEED_MIN_CHARS,
  parseCareDelay,
  SNP_REQUEST_MESSAGES as R,
  type SnpDraft,
} from "./domain/index.ts";

export interface IntakeStep {
  readonly question: Localized;
  /** The draft with this answer, or the problem to tell (the same question is asked again). */
  read(answer: string, draft: SnpDraft, territory: Territory): StepRead;
}

export type StepRead = { readonly draft: SnpDraft } | { readonly problem: Localized; readonly params?: Record<string, string | number> };

const NONE = new Set(["aucun", "aucune", "non", "rien", "none", "no", "-"]);
const ALL_MODES = new Set(["tous", "toutes", "tout", "indifferent", "all", "any"]);

const GP_ANSWERS: ReadonlyMap<string, GpStatus> = new Map<string, GpStatus>([
  ...["1", "sans", "sans mt", "aucun", "non", "pas de medecin traitant", "none"].map((w) => [w, "none"] as const),
  ...["2", "indispo", "mt indispo", "indisponible", "absent", "unavailable"].map((w) => [w, "unavailable"] as const),
  ...["3", "dispo", "mt dispo", "disponible", "available"].map((w) => [w, "available"] as const),
]);
const CRITERIA: ReadonlyMap<string, "ald" | "css" | "non-resident" | "vital"> = new Map([
  ["ald", "ald"],
  ["css", "css"],
  ["c2s", "css"],
  ["hors territoire", "non-resident"],
  ["non resident", "non-resident"],
  ["urgence vitale", "vital"],
] as const);

const GP_INVALID: Localized = {
  fr: "Répondez 1 (sans médecin traitant), 2 (médecin traitant indisponible) ou 3 (médecin traitant disponible).",
  en: "Please answer 1 (no GP), 2 (GP unavailable) or 3 (GP available).",
};
const CRITERIA_INVALID: Localized = {
  fr: "Je ne comprends pas « {input} ». Répondez ALD, CSS, hors territoire, urgence vitale (plusieurs séparés par des virgules), ou aucun.",
  en: "I do not understand \"{input}\". Please answer ALD, CSS, hors territoire, urgence vitale (several separated by commas), or aucun.",
};

export const INTAKE_STEPS: readonly IntakeStep[] = [
  {
    question: { fr: "Quelle profession recherchez-vous ? (MG, IDE, kiné, sage-femme, pharmacien…)", en: "Which profession do you need? (MG, IDE, kiné, sage-femme, pharmacien…)" },
    read: (answer, draft) => (lookupProfession(answer) ? { draft: { ...draft, profession: answer.trim() } } : { problem: R.professionUnknown, params: { input: answer.trim() } }),
  },
  {
    question: { fr: "Dans quelle commune se trouve le patient ?", en: "In which commune is the patient?" },
    read: (answer, draft, territory) =>
      lookupCommune(territory, answer) ? { draft: { ...draft, commune: answer.trim() } } : { problem: R.communeOutside, params: { input: answer.trim(), territory: territory.name } },
  },
  {
    question: { fr: "Sous quel délai le soin doit-il être fait ? (6h, 24h, 48h…)", en: "Within what delay must the care be given? (6h, 24h, 48h…)" },
    read: (answer, draft) => {
      const delay = parseCareDelay(answer);
      return typeof delay === "number" ? { draft: { ...draft, careDelay: answer.trim() } } : { problem: delay.text, params: delay.params };
    },
  },
  {
    question: {
      fr: "Quels modes conviennent ? tel, teleconsultation, cabinet, domicile (plusieurs séparés par des virgules), ou « tous ».",
      en: "Which modes suit? tel, teleconsultation, cabinet, domicile (several separated by commas), or \"tous\" (all).",
    },
    read: (answer, draft) => {
      if (ALL_MODES.has(foldName(answer))) return { draft: { ...draft, modes: [] } };
      const words = answer.split(/[,+;]|\s+et\s+/).map((w) => w.trim()).filter((w) => w !== "");
      const unknown = words.find((w) => !lookupMode(w));
      if (words.length === 0 || unknown !== undefined) return { problem: R.modeUnknown, params: { input: unknown ?? answer.trim() } };
      return { draft: { ...draft, modes: words } };
    },
  },
  {
    question: {
      fr: "Décrivez le besoin en quelques mots, sans nom du patient (ex. : pansement 10 j, 2 passages/jour).",
      en: "Describe the need in a few words, without the patient's name (e.g. pansement 10 j, 2 passages/jour).",
    },
    read: (answer, draft): StepRead => {
      const need = answer.trim().replace(/\s+/g, " ");
      if (need.length < NEED_MIN_CHARS) return { problem: R.needTooShort, params: { min: NEED_MIN_CHARS } };
      if (need.length > NEED_MAX_CHARS) return { problem: R.needTooLong, params: { max: NEED_MAX_CHARS } };
      return { draft: { ...draft, need } };
    },
  },
  {
    question: { fr: `Tranche d'âge du patient : ${AGE_BANDS.join(", ")} ?`, en: `The patient's age band: ${AGE_BANDS.join(", ")}?` },
    read: (answer, draft) => {
      const band = answer.replace(/\s+/g, "").replace(/ans$/i, "");
      return (AGE_BANDS as readonly string[]).includes(band)
        ? { draft: { ...draft, ageBand: band } }
        : { problem: R.ageBandInvalid, params: { input: answer.trim(), bands: AGE_BANDS.join(", ") } };
    },
  },
  {
    question: {
      fr: "Le patient a-t-il un médecin traitant ? 1 : non ; 2 : oui mais indisponible ; 3 : oui et disponible.",
      en: "Does the patient have a GP? 1: no; 2: yes but unavailable; 3: yes and available.",
    },
    read: (answer, draft) => {
      const gp = GP_ANSWERS.get(foldName(answer));
      return gp ? { draft: { ...draft, gp } } : { problem: GP_INVALID };
    },
  },
  {
    question: {
      fr: "Critères : ALD, CSS, hors territoire, urgence vitale ? (plusieurs séparés par des virgules, ou « aucun »)",
      en: "Criteria: ALD, CSS, hors territoire (not resident), urgence vitale (life-threatening)? (several separated by commas, or \"aucun\")",
    },
    read: (answer, draft) => {
      if (NONE.has(foldName(answer))) return { draft: { ...draft, ald: false, css: false, resident: true, vitalEmergency: false } };
      const flags = answer.split(/[,;+]|\s+et\s+/).map((w) => foldName(w)).filter((w) => w !== "");
      const unknown = flags.find((f) => !CRITERIA.has(f));
      if (flags.length === 0 || unknown !== undefined) return { problem: CRITERIA_INVALID, params: { input: unknown ?? answer.trim() } };
      const set = new Set(flags.map((f) => CRITERIA.get(f)));
      return { draft: { ...draft, ald: set.has("ald"), css: set.has("css"), resident: !set.has("non-resident"), vitalEmergency: set.has("vital") } };
    },
  },
  {
    question: {
      fr: "Le patient a-t-il un professionnel habituel de cette profession, membre de la CPTS ? Son identifiant (@prenom.nom:serveur), ou « aucun ».",
      en: "Does the patient have a usual professional of that profession in the CPTS? Their id (@first.last:server), or \"aucun\".",
    },
    read: (answer, draft) => {
      const value = answer.trim();
      if (NONE.has(foldName(value))) return { draft };
      return isUserId(value) ? { draft: { ...draft, usualProfessional: value } } : { problem: R.usualProfessionalInvalid, params: { input: value } };
    },
  },
];

export const CANCEL_WORDS = new Set(["annuler", "annule", "stop", "cancel"]);
