// The expert one-line form of an SNP request:
//
//   !snp <profession> <commune> <délai> [modes…] "<besoin>" <âge> <médecin traitant> [critères…] [@professionnel:habituel]
//
//   !snp IDE Douai 6h domicile "pansement 10 j, 2 passages/jour" 70+ sans-MT
//   !snp MG Sin-le-Noble 48h tel,cabinet "renouvellement d'ordonnance" 18-69 MT-indispo ALD @dr.martin:cpts.fr
//
// The profession comes first and the commune second (quote it when it has spaces); after them
// each argument is recognised by its shape, in any order:
//   délai             6h, 24 h, 48heures, 2j           (required, 1 to 72 h)
//   modes             tel | teleconsultation | cabinet | domicile, several joined by "," or "+"
//                     (none named: any mode suits)
//   âge               0-2 | 3-17 | 18-69 | 70+          (required; the age band, never the birth date)
//   médecin traitant  sans-MT | MT-indispo | MT-dispo   (required: it decides eligibility)
//   critères          ALD, CSS (or C2S), non-resident / hors-territoire, urgence-vitale
//   habituel          @user:server, the patient's usual professional, asked first
//   besoin            the one argument left: the need in plain words, in quotes
import { splitArgs } from "../../core/commands/parse.ts";
import { foldName, type Territory } from "../../directory/territory.ts";
import { AGE_BANDS, echo, type GpStatus, lookupMode, problem, type SnpDraft, type SnpValidation, validateDraft } from "./request.ts";

const GP_WORDS: ReadonlyMap<string, GpStatus> = new Map<string, GpStatus>([
  ...["sans mt", "pas de mt", "sans medecin traitant"].map((w) => [w, "none"] as const),
  ...["mt indispo", "mt indisponible", "mt absent"].map((w) => [w, "unavailable"] as const),
  ...["mt dispo", "mt disponible", "avec mt"].map((w) => [w, "available"] as const),
]);
const FLAG_WORDS: ReadonlyMap<string, "ald" | "css" | "non-resident" | "vital"> = new Map([
  ["ald", "ald"],
  ["css", "css"],
  ["c2s", "css"],
  ["non resident", "non-resident"],
  ["hors territoire", "non-resident"],
  ["urgence vitale", "vital"],
] as const);
const DELAY_WITH_UNIT = /^[+-]?\d+(?:[.,]\d+)?\s*(h|heures?|j|jours?)$/i;
const NUMBER = /^[+-]?\d+(?:[.,]\d+)?$/;
const UNIT = /^(h|heures?|j|jours?)$/i;
/** Unknown words quoted back at most; the others are counted. */
const ECHOED_UNKNOWN_WORDS = 5;

/** Parses the text after "!snp" (or the whole message, the command word is skipped). */
export function parseSnpLine(text: string, territory: Territory): SnpValidation {
  const args = splitArgs(text.trim().replace(/^[!/]snp(\s|$)/i, ""));
  if (args === undefined) return { ok: false, problems: [problem("unterminatedQuote")] };
  return parseSnpArgs(args, territory);
}

/** The same, from arguments already split by the command parser (quotes removed). */
export function parseSnpArgs(args: readonly string[], territory: Territory): SnpValidation {
  const draft = readArgs(args);
  const checked = validateDraft(draft.draft, territory);
  if (draft.extra.length === 0) return checked;
  const words = draft.extra.slice(0, ECHOED_UNKNOWN_WORDS).map((w) => `« ${echo(w)} »`).join(", ");
  const others = draft.extra.length - ECHOED_UNKNOWN_WORDS;
  const unknown = others > 0 ? problem("unknownWordsMany", { words, others }) : problem("unknownWords", { words });
  return { ok: false, problems: [...(checked.ok ? [] : checked.problems), unknown] };
}

interface Read {
  readonly draft: SnpDraft;
  readonly extra: readonly string[];
}

function readArgs(args: readonly string[]): Read {
  const [profession, commune, ...rest] = args;
  let careDelay: string | undefined;
  let ageBand: string | undefined;
  let gp: GpStatus | undefined;
  let usualProfessional: string | undefined;
  const modes: string[] = [];
  const flags = new Set<string>();
  const leftover: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const folded = foldName(arg);
    const next = rest[i + 1];
    if (DELAY_WITH_UNIT.test(arg) || (NUMBER.test(arg) && next !== undefined && UNIT.test(next))) {
      careDelay = DELAY_WITH_UNIT.test(arg) ? arg : `${arg}${rest[++i]}`;
    } else if ((AGE_BANDS as readonly string[]).includes(arg.replace(/\s+/g, ""))) {
      ageBand = arg.replace(/\s+/g, "");
    } else if (GP_WORDS.has(folded)) {
      gp = GP_WORDS.get(folded);
    } else if (FLAG_WORDS.has(folded)) {
      flags.add(FLAG_WORDS.get(folded)!);
    } else if (arg.startsWith("@")) {
      usualProfessional = arg;
    } else if (isModeList(arg)) {
      modes.push(...arg.split(/[,+]/).filter((w) => w.trim() !== ""));
    } else {
      leftover.push(arg);
    }
  }
  // The need is the argument with spaces (it was quoted); a lone single word is accepted too.
  const multiWord = leftover.filter((a) => /\s/.test(a.trim()));
  const need = multiWord.length === 1 ? multiWord[0] : leftover.length === 1 ? leftover[0] : undefined;
  const extra = need === undefined ? (leftover.length > 1 ? leftover : []) : leftover.filter((a) => a !== need);
  const draft: SnpDraft = {
    ...(profession !== undefined ? { profession } : {}),
    ...(commune !== undefined ? { commune } : {}),
    ...(careDelay !== undefined ? { careDelay } : {}),
    ...(ageBand !== undefined ? { ageBand } : {}),
    ...(gp !== undefined ? { gp } : {}),
    ...(usualProfessional !== undefined ? { usualProfessional } : {}),
    ...(need !== undefined ? { need } : {}),
    modes,
    resident: !flags.has("non-resident"),
    ald: flags.has("ald"),
    css: flags.has("css"),
    vitalEmergency: flags.has("vital"),
  };
  return { draft, extra };
}

function isModeList(arg: string): boolean {
  const words = arg.split(/[,+]/).filter((w) => w.trim() !== "");
  return words.length > 0 && words.every((w) => lookupMode(w) !== undefined);
}
