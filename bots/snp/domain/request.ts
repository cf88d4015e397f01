import { type Lang, localize, type Localized } from "../../core/i18n/lang.ts";
import { type Commune, foldName, type Territory } from "../../directory/territory.ts";
import { PROFESSION_WORDS, type ProfessionTerm } from "../../directory/search/vocabulary.ts";
import { isUserId, type UserId } from "./ids.ts";
import { SNP_REQUEST_MESSAGES } from "./messages.ts";

export const SNP_CARE_MODES = ["telephone", "teleconsultation", "cabinet", "domicile"] as const;
/** Phone advice, teleconsultation, office consultation, home visit. */
export type SnpCareMode = (typeof SNP_CARE_MODES)[number];

/** Age bands, never the birth date: the summary sent to candidates must not identify the patient. */
export const AGE_BANDS = ["0-2", "3-17", "18-69", "70+"] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** "unavailable" counts as no GP for the CPTS rule: the patient has a médecin traitant who cannot see them in time. */
export type GpStatus = "none" | "unavailable" | "available";

export interface EligibilityFacts {
  readonly resident: boolean;
  readonly gp: GpStatus;
  readonly age70Plus: boolean;
  readonly ald: boolean;
  readonly css: boolean;
  /** Signs of a life-threatening emergency: never SNP, always the 15. */
  readonly vitalEmergency: boolean;
}

/** What the guided conversation or the one-line form collected, still as typed. */
export interface SnpDraft {
  readonly profession?: string;
  readonly commune?: string;
  readonly careDelay?: string;
  readonly modes?: readonly string[];
  readonly need?: string;
  readonly ageBand?: string;
  readonly gp?: GpStatus;
  /** Defaults to true: the commune is in the territory, so is the patient unless told otherwise. */
  readonly resident?: boolean;
  readonly ald?: boolean;
  readonly css?: boolean;
  readonly vitalEmergency?: boolean;
  readonly usualProfessional?: string;
}

export interface SnpRequestSpec {
  readonly profession: ProfessionTerm;
  /** The word as typed, for messages ("IDE"). */
  readonly professionWord: string;
  readonly commune: Commune;
  readonly careDelayHours: number;
  readonly modes: readonly SnpCareMode[];
  readonly need: string;
  readonly ageBand: AgeBand;
  readonly eligibility: EligibilityFacts;
  readonly usualProfessional?: UserId;
}

export type SnpProblemCode = keyof typeof SNP_REQUEST_MESSAGES;

/** One thing wrong with the input: a code for tests and logs, a polite text and its parameters for the person. */
export interface SnpProblem {
  readonly code: SnpProblemCode;
  readonly text: Localized;
  readonly params: Readonly<Record<string, string | number>>;
}

export type SnpValidation = { readonly ok: true; readonly request: SnpRequestSpec } | { readonly ok: false; readonly problems: readonly SnpProblem[] };

export const NEED_MIN_CHARS = 3;
export const NEED_MAX_CHARS = 300;
export const MAX_CARE_DELAY_HOURS = 72;

/** How much of what the person typed an answer quotes back: enough to recognise it, never their whole message. */
export const ECHO_MAX_CHARS = 40;

export function echo(input: string): string {
  const text = input.replace(/\s+/g, " ").trim();
  return text.length > ECHO_MAX_CHARS ? `${text.slice(0, ECHO_MAX_CHARS - 1)}…` : text;
}

/** Whatever was typed, the list of problems stays readable on a phone. */
export const MAX_PROBLEMS_CHARS = 1_500;

export function renderProblems(problems: readonly SnpProblem[], lang: Lang): string {
  const text = problems.map((p) => `• ${localize(p.text, lang, p.params)}`).join("\n");
  return text.length > MAX_PROBLEMS_CHARS ? `${text.slice(0, MAX_PROBLEMS_CHARS - 1)}…` : text;
}

export function problem(code: SnpProblemCode, params: Record<string, string | number> = {}): SnpProblem {
  const quoted = typeof params["input"] === "string" ? { ...params, input: echo(params["input"]) } : params;
  return { code, text: SNP_REQUEST_MESSAGES[code], params: quoted };
}

export function lookupProfession(word: string): ProfessionTerm | undefined {
  return PROFESSION_WORDS.get(foldName(word));
}

/** By name (accents, case and hyphens folded), INSEE code or postcode when it names one commune only. */
export function lookupCommune(territory: Territory, input: string): Commune | undefined {
  const folded = foldName(input);
  const byName = territory.communes.find((c) => foldName(c.name) === folded || c.code === input.trim());
  if (byName) return byName;
  const byPostcode = territory.communes.filter((c) => c.postcodes.includes(input.trim()));
  return byPostcode.length === 1 ? byPostcode[0] : undefined;
}

const DELAY = /^([+-]?\d+(?:[.,]\d+)?)\s*(h|heures?|j|jours?)?$/i;

/** "6h", "24 h", "48 heures", "2j" → hours. */
export function parseCareDelay(input: string): number | SnpProblem {
  const match = DELAY.exec(input.trim());
  if (!match) return problem("delayInvalid", { input });
  const value = Number(match[1]!.replace(",", "."));
  const hours = match[2]?.toLowerCase().startsWith("j") ? value * 24 : value;
  if (!(hours >= 1)) return problem("delayNotPositive", { input });
  if (hours > MAX_CARE_DELAY_HOURS) return problem("delayTooLong", { input, max: MAX_CARE_DELAY_HOURS });
  return hours;
}

const MODE_WORDS: ReadonlyMap<string, SnpCareMode> = new Map<string, SnpCareMode>([
  ...["tel", "telephone", "conseil", "conseil telephonique", "appel"].map((w) => [w, "telephone"] as const),
  ...["teleconsultation", "teleconsult", "tlc", "visio", "video"].map((w) => [w, "teleconsultation"] as const),
  ...["cabinet", "au cabinet", "consultation"].map((w) => [w, "cabinet"] as const),
  ...["domicile", "a domicile", "visite", "vad", "visite a domicile"].map((w) => [w, "domicile"] as const),
]);

export function lookupMode(word: string): SnpCareMode | undefined {
  return MODE_WORDS.get(foldName(word));
}

function isAgeBand(value: string): value is AgeBand {
  return (AGE_BANDS as readonly string[]).includes(value);
}

/** Checks every field and reports every problem at once, so the person fixes the request in one go. */
export function validateDraft(draft: SnpDraft, territory: Territory): SnpValidation {
  const problems: SnpProblem[] = [];
  const professionWord = draft.profession?.trim() ?? "";
  const profession = professionWord ? lookupProfession(professionWord) : undefined;
  if (!professionWord) problems.push(problem("professionMissing"));
  else if (!profession) problems.push(problem("professionUnknown", { input: professionWord }));

  const communeInput = draft.commune?.trim() ?? "";
  const commune = communeInput ? lookupCommune(territory, communeInput) : undefined;
  if (!communeInput) problems.push(problem("communeMissing"));
  else if (!commune) problems.push(problem("communeOutside", { input: communeInput, territory: territory.name }));

  const delay = draft.careDelay?.trim() ? parseCareDelay(draft.careDelay) : problem("delayMissing");
  if (typeof delay !== "number") problems.push(delay);

  const modes: SnpCareMode[] = [];
  for (const word of draft.modes ?? []) {
    const mode = lookupMode(word);
    if (!mode) problems.push(problem("modeUnknown", { input: word }));
    else if (!modes.includes(mode)) modes.push(mode);
  }

  const need = (draft.need ?? "").trim().replace(/\s+/g, " ");
  if (!need) problems.push(problem("needMissing"));
  else if (need.length < NEED_MIN_CHARS) problems.push(problem("needTooShort", { min: NEED_MIN_CHARS }));
  else if (need.length > NEED_MAX_CHARS) problems.push(problem("needTooLong", { max: NEED_MAX_CHARS }));

  const ageInput = draft.ageBand?.trim() ?? "";
  const bands = AGE_BANDS.join(", ");
  if (!ageInput) problems.push(problem("ageBandMissing", { bands }));
  else if (!isAgeBand(ageInput)) problems.push(problem("ageBandInvalid", { input: ageInput, bands }));

  if (!draft.gp) problems.push(problem("gpStatusMissing"));

  const usual = draft.usualProfessional?.trim();
  if (usual && !isUserId(usual)) problems.push(problem("usualProfessionalInvalid", { input: usual }));

  if (problems.length > 0 || !profession || !commune || typeof delay !== "number" || !isAgeBand(ageInput) || !draft.gp) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    request: {
      profession,
      professionWord,
      commune,
      careDelayHours: delay,
      // No mode named: any mode suits the requester, each candidate picks theirs.
      modes: modes.length > 0 ? modes : [...SNP_CARE_MODES],
      need,
      ageBand: ageInput,
      eligibility: {
        resident: draft.resident ?? true,
        gp: draft.gp,
        age70Plus: ageInput === "70+",
        ald: draft.ald ?? false,
        css: draft.css ?? false,
        vitalEmergency: draft.vitalEmergency ?? false,
      },
      ...(usual && isUserId(usual) ? { usualProfessional: usual } : {}),
    },
  };
}
