// How the care commands' arguments are read: who is meant (a Matrix id, an RPPS number, or
// a directory search such as "kiné Douai"), and where the free text (theme, reason,
// question) starts. Pure; the directory's own query parser decides what a search means.
import { foldedWords, longestPhraseAt } from "../../directory/search/phrases.ts";
import { parseDirectoryQuery } from "../../directory/search/query.ts";
import { PROFESSION_WORDS, SPECIALTY_LABEL_PREFIXES, termLabel, type ProfessionTerm } from "../../directory/search/vocabulary.ts";
import type { Territory } from "../../directory/territory.ts";
import type { Specialty, SpecialtyQuery } from "./expertise.ts";
import { isRpps, isUserId, type UserId } from "./ids.ts";

export type PersonRef = { readonly kind: "user"; readonly userId: UserId } | { readonly kind: "rpps"; readonly rpps: string };
export type TargetRef = PersonRef | { readonly kind: "search"; readonly text: string };

export function personRefOf(arg: string): PersonRef | undefined {
  const value = arg.trim();
  if (isUserId(value)) return { kind: "user", userId: value };
  if (isRpps(value)) return { kind: "rpps", rpps: value };
  return undefined;
}

/** Splits arguments into the people named by id or RPPS and the other words. */
export function splitPeople(args: readonly string[]): { people: PersonRef[]; words: string[] } {
  const people: PersonRef[] = [];
  const words: string[] = [];
  for (const arg of args) {
    const ref = personRefOf(arg);
    if (ref) people.push(ref);
    else words.push(arg);
  }
  return { people, words };
}

/** `!inviter`: a list of ids and RPPS numbers, or one search (a name, "kiné Douai"). */
export function readInviteArgs(args: readonly string[]): { ok: true; targets: TargetRef[] } | { ok: false; problem: "empty" | "mixed" } {
  const { people, words } = splitPeople(args);
  if (people.length === 0 && words.length === 0) return { ok: false, problem: "empty" };
  if (people.length > 0 && words.length > 0) return { ok: false, problem: "mixed" };
  return { ok: true, targets: words.length > 0 ? [{ kind: "search", text: words.join(" ") }] : people };
}

export type ReferralArgsProblem = "target-missing" | "reason-missing" | "target-unclear";

/**
 * `!adresser <professional or search> <reason>`. The professional is a Matrix id, an RPPS
 * number, a quoted name or search ("Marie Curie", « kiné Douai »), or what comes before a
 * colon; otherwise the longest run of leading words the directory reads as professions and
 * communes ("kiné Douai rééducation genou" → "kiné Douai").
 */
export function readReferralArgs(args: readonly string[], territory: Territory): { ok: true; target: TargetRef; reason: string } | { ok: false; problem: ReferralArgsProblem } {
  if (args.length === 0) return { ok: false, problem: "target-missing" };
  const done = (target: TargetRef, reasonWords: readonly string[]): ReturnType<typeof readReferralArgs> => {
    const reason = reasonWords.join(" ").replace(/\s+/g, " ").trim();
    return reason === "" ? { ok: false, problem: "reason-missing" } : { ok: true, target, reason };
  };
  const first = args[0]!;
  const ref = personRefOf(first);
  if (ref) return done(ref, args.slice(1));
  const colon = args.findIndex((a) => a.endsWith(":") || a === ":");
  if (colon >= 0) {
    const before = [...args.slice(0, colon), args[colon]!.replace(/:$/, "")].join(" ").trim();
    if (before === "") return { ok: false, problem: "target-missing" };
    return done(personRefOf(before) ?? { kind: "search", text: before }, args.slice(colon + 1));
  }
  if (/\s/.test(first.trim())) return done({ kind: "search", text: first.trim() }, args.slice(1));
  let longest = 0;
  for (let n = 1; n <= args.length; n++) {
    const parsed = parseDirectoryQuery(args.slice(0, n).join(" "), territory);
    if (parsed.ok && parsed.query.terms.length === 0) longest = n;
    else break;
  }
  if (longest === 0) return { ok: false, problem: "target-unclear" };
  return done({ kind: "search", text: args.slice(0, longest).join(" ") }, args.slice(longest));
}

/** Every folded word people use for this profession term ("cardiologue", "cardio"…). */
function wordsFor(term: ProfessionTerm): string[] {
  const same = (t: ProfessionTerm): boolean => t.profession === term.profession && t.specialty === term.specialty;
  return [...new Set([...[...PROFESSION_WORDS].filter(([, t]) => same(t)).map(([w]) => w), term.specialty ?? term.profession])];
}

export interface ExpertiseArgs {
  readonly specialty: Specialty;
  readonly query: SpecialtyQuery | undefined;
  /** For a free expertise word (no profession named): the folded words members must have declared. */
  readonly declaredWords: readonly string[];
  readonly question: string;
}

/**
 * `!avis <specialty> <question>`: a profession or specialty word of the directory
 * (cardiologue, dermato, pharmacien), or else a quoted or single expertise word members
 * declare on their card ("plaies"), then the question.
 */
export function readExpertiseArgs(args: readonly string[]): { ok: true; value: ExpertiseArgs } | { ok: false; problem: "specialty-missing" | "question-missing" } {
  if (args.length === 0) return { ok: false, problem: "specialty-missing" };
  const words = foldedWords(args[0]!);
  const leading = words.length > 0 ? longestPhraseAt(words, 0, PROFESSION_WORDS) : undefined;
  const question = args.slice(1).join(" ").replace(/\s+/g, " ").trim();
  if (question === "") return { ok: false, problem: "question-missing" };
  if (leading && leading.length === words.length) {
    const term = leading.value;
    const label = termLabel(term);
    const query: SpecialtyQuery = {
      profession: term.profession,
      ...(term.specialty ? { specialty: term.specialty } : {}),
      labelPrefixes: term.specialty ? (SPECIALTY_LABEL_PREFIXES.get(term.specialty) ?? [term.specialty]) : [],
      words: wordsFor(term),
    };
    return { ok: true, value: { specialty: { key: `${term.profession}|${term.specialty ?? ""}`, label }, query, declaredWords: query.words, question } };
  }
  const free = words.join(" ");
  if (free === "") return { ok: false, problem: "specialty-missing" };
  // A free word is shown as typed ("plaies chroniques"), accents kept; only matching is folded.
  const typed = args[0]!.replace(/\s+/g, " ").trim().toLowerCase();
  return { ok: true, value: { specialty: { key: `skill|${free}`, label: typed }, query: undefined, declaredWords: [free], question } };
}
