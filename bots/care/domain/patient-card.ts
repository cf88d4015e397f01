// The "fiche de liaison": the patient's identity, typed once by the case's creator in the
// encrypted case room and posted back by the bot as the pinned first message. Pure: the bot
// never stores it; it reads the creator's message and writes the card in the same room.

export interface BirthDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export interface PatientCard {
  /** As typed (e.g. "DUPONT Jeanne"). */
  readonly name: string;
  readonly birthDate: BirthDate;
  /** The INS matricule (NIR or NIA, 15 characters with its key), when known. */
  readonly ins?: string;
  /** A French phone number given with the identity, as ten digits ("0612345678"). */
  readonly phone?: string;
}

export type CardProblem = "name-missing" | "birth-date-missing" | "birth-date-invalid" | "ins-key-invalid";

export type CardParse = { readonly ok: true; readonly card: PatientCard } | { readonly ok: false; readonly problems: readonly CardProblem[] };

/** 15 characters, spaces allowed between them: sex, year, month, department (2A/2B in Corsica), commune, order, key. */
const INS = /(?<![\dA-Za-z])[1-478](?:\s?[\dABab]){14}(?![\dA-Za-z])/;
const INS_SHAPE = /^[1-478]\d{4}(?:\d{2}|2[AB])\d{6}\d{2}$/;
const DATE = /(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)/;
/** 06 12 34 56 78, 06.12.34.56.78, 0612345678, +33 6 12 34 56 78. */
const PHONE = /(?<![\d+])(?:\+33\s?|0033\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)/;
/** Words around the identity that are not part of the name. */
const FILLER = /(?<![\p{L}])(?:n[ée]e?|le|ins|inconnue?|sans|date|de|naissance|nom|pr[ée]nom|patiente?|t[ée]l|t[ée]l[ée]phone|portable|mobile|fixe)(?![\p{L}])/giu;

/** Whether the key (last two digits) matches: 97 − (the 13 first as a number, 2A → 19, 2B → 18) mod 97. */
export function insKeyIsValid(ins: string): boolean {
  if (!INS_SHAPE.test(ins)) return false;
  const body = ins.slice(0, 13).replace(/^(.{5})2A/, "$119").replace(/^(.{5})2B/, "$118");
  return 97n - (BigInt(body) % 97n) === BigInt(ins.slice(13));
}

function validDate(year: number, month: number, day: number, today: BirthDate): boolean {
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return false;
  if (year < 1900) return false;
  return year * 10_000 + month * 100 + day <= today.year * 10_000 + today.month * 100 + today.day;
}

/** Reads "Jeanne Dupont, née le 12/03/1941, INS 2 41 03 59 123 456 78" (in any order). */
export function parsePatientCard(text: string, today: BirthDate): CardParse {
  const problems: CardProblem[] = [];
  let rest = text;
  let ins: string | undefined;
  const insMatch = INS.exec(rest);
  if (insMatch) {
    const candidate = insMatch[0].replace(/\s/g, "").toUpperCase();
    if (insKeyIsValid(candidate)) ins = candidate;
    else problems.push("ins-key-invalid");
    rest = rest.replace(insMatch[0], " ");
  }
  let phone: string | undefined;
  const phoneMatch = PHONE.exec(rest);
  if (phoneMatch) {
    phone = `0${phoneMatch[0].replace(/\D/g, "").replace(/^(33|0033|0)/, "")}`;
    rest = rest.replace(phoneMatch[0], " ");
  }
  let birthDate: BirthDate | undefined;
  const dateMatch = DATE.exec(rest);
  if (!dateMatch) problems.push("birth-date-missing");
  else {
    const [day, month, year] = [Number(dateMatch[1]), Number(dateMatch[2]), Number(dateMatch[3])];
    if (validDate(year, month, day, today)) birthDate = { year, month, day };
    else problems.push("birth-date-invalid");
    rest = rest.replace(dateMatch[0], " ");
  }
  const name = rest
    .replace(FILLER, " ")
    .replace(/[,;:()]/g, " ")
    .split(/\s+/)
    // A name has no digits: a stray number (a room, a second phone) is no part of it.
    .filter((word) => word !== "" && !/\d/.test(word) && /\p{L}/u.test(word))
    .join(" ");
  const nameWords = name.split(" ").filter((w) => /\p{L}{2,}/u.test(w));
  if (nameWords.length < 2) problems.push("name-missing");
  if (problems.length > 0 || !birthDate) return { ok: false, problems };
  return { ok: true, card: { name, birthDate, ...(ins ? { ins } : {}), ...(phone ? { phone } : {}) } };
}

export function formatBirthDate(date: BirthDate): string {
  return `${String(date.day).padStart(2, "0")}/${String(date.month).padStart(2, "0")}/${date.year}`;
}

/** "06 12 34 56 78". */
export function formatPhone(phone: string): string {
  return phone.replace(/(\d{2})(?=\d)/g, "$1 ");
}

/** "2 41 03 59 123 456 78", as printed on the carte Vitale. */
export function formatIns(ins: string): string {
  return `${ins[0]} ${ins.slice(1, 3)} ${ins.slice(3, 5)} ${ins.slice(5, 7)} ${ins.slice(7, 10)} ${ins.slice(10, 13)} ${ins.slice(13)}`;
}
