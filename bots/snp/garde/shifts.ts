// The on-call rota ("garde"), pure: what a shift is, how a coordinator types one, who is on
// duty at an instant. Times are typed and shown in Europe/Paris wall-clock time, whatever the
// server's zone; daylight saving nights are resolved explicitly (a time that does not exist
// is refused, a time that happens twice is resolved towards the longer shift and said so).
import { Temporal } from "temporal-polyfill";
import { foldText, type Localized } from "../../core/i18n/lang.ts";
import { PARIS_TIME_ZONE, parisToday } from "../../core/time/paris-time.ts";
import { isUserId, type UserId } from "../domain/ids.ts";
import { GARDE_MESSAGES as M } from "./messages.ts";

export const MAX_SHIFT_HOURS = 72;
export const MAX_DAYS_AHEAD = 366;
export const LABEL_MAX_CHARS = 80;
const HOUR_MS = 3_600_000;

/** The number a coordinator types to remove a shift (`!garde retirer 12`). */
export type ShiftId = number & { readonly __brand: "GardeShiftId" };

export function shiftId(value: number): ShiftId {
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`not a shift id: ${value}`);
  return value as ShiftId;
}

export interface ShiftDraft {
  readonly userId: UserId;
  /** Epoch milliseconds, start included. */
  readonly startsAt: number;
  /** Epoch milliseconds, end excluded. */
  readonly endsAt: number;
  readonly label?: string;
}

export interface Shift extends ShiftDraft {
  readonly id: ShiftId;
}

/** A sentence for the coordinator, with the placeholders it needs (only what they typed: no language-dependent dates). */
export interface GardeNotice {
  readonly text: Localized;
  readonly params: Readonly<Record<string, string | number>>;
}

export type ShiftParse =
  | { readonly ok: true; readonly draft: ShiftDraft; readonly notes: readonly GardeNotice[] }
  | { readonly ok: false; readonly problem: GardeNotice };

// ---------------------------------------------------------------------------------------------
// Who is on duty

/** The shifts covering `at` (several may overlap), earliest start first. */
export function onDutyAt<S extends ShiftDraft & { readonly id: number }>(shifts: readonly S[], at: number): S[] {
  return shifts.filter((s) => s.startsAt <= at && at < s.endsAt).sort(byStart);
}

/** The first shift starting after `at`, if any. */
export function nextShiftAfter<S extends ShiftDraft & { readonly id: number }>(shifts: readonly S[], at: number): S | undefined {
  return shifts.filter((s) => s.startsAt > at).sort(byStart)[0];
}

/** The shifts sharing some time with `draft`: a warning for the coordinator, never a refusal (two people may share a night). */
export function overlapping<S extends ShiftDraft>(shifts: readonly S[], draft: ShiftDraft): S[] {
  return shifts.filter((s) => s.startsAt < draft.endsAt && draft.startsAt < s.endsAt);
}

function byStart(a: ShiftDraft & { readonly id: number }, b: ShiftDraft & { readonly id: number }): number {
  return a.startsAt - b.startsAt || a.id - b.id;
}

/** ISO 8601 with the Paris offset, e.g. "2026-11-24T20:00:00+01:00": what the telephone system reads. */
export function parisIso(epochMs: number): string {
  return Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(PARIS_TIME_ZONE).toString({ timeZoneName: "never", smallestUnit: "second" });
}

/** "12 h", "6 h 30": the same in French and English. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const [hours, rest] = [Math.floor(minutes / 60), minutes % 60];
  return rest === 0 ? `${hours} h` : `${hours} h ${String(rest).padStart(2, "0")}`;
}

// ---------------------------------------------------------------------------------------------
// Declaring a shift: `@dr.martin:cpts.fr 24/11 20h 25/11 8h [label…]`

type Problem = { readonly problem: GardeNotice };
type Moment = { readonly date: Temporal.PlainDate | undefined; readonly time: Temporal.PlainTime; readonly typed: string; readonly next: number };

const RELATIVE_DAYS: Readonly<Record<string, number>> = {
  aujourdhui: 0, auj: 0, today: 0,
  demain: 1, tomorrow: 1,
  apresdemain: 2,
};
/** Temporal's dayOfWeek: 1 = Monday … 7 = Sunday. */
const WEEKDAYS: Readonly<Record<string, number>> = {
  lundi: 1, lun: 1, monday: 1, mon: 1,
  mardi: 2, mar: 2, tuesday: 2, tue: 2,
  mercredi: 3, mer: 3, wednesday: 3, wed: 3,
  jeudi: 4, jeu: 4, thursday: 4, thu: 4,
  vendredi: 5, ven: 5, friday: 5, fri: 5,
  samedi: 6, sam: 6, saturday: 6, sat: 6,
  dimanche: 7, dim: 7, sunday: 7, sun: 7,
};
const NAMED_TIMES: Readonly<Record<string, { hour: number; minute: number }>> = {
  midi: { hour: 12, minute: 0 }, noon: { hour: 12, minute: 0 },
  minuit: { hour: 0, minute: 0 }, midnight: { hour: 0, minute: 0 },
};
const DAY_MONTH = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{2}|\d{4}))?$/;
const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const TIME = /^(\d{1,2})(?:h(\d{2})?|:(\d{2}))$/i;

/**
 * Reads what follows `!garde ajout`: the on-duty account, the start, the end, then an optional
 * label. Start and end are "[date] time"; a start without date is today, an end without date
 * is the start's day, or the next day when it would not come after the start (night shifts).
 * `now` decides "today", the year of "24/11" (the nearest one) and what is already over.
 */
export function parseShiftDeclaration(input: string, now: number): ShiftParse {
  const tokens = input.trim().split(/\s+/).filter((t) => t !== "");
  const who = tokens[0];
  if (who === undefined) return fail(M.missingUser, {});
  if (!isUserId(who)) return fail(M.notUserId, { input: who });
  const today = parisToday(now);

  const start = readMoment(tokens, 1, today, "start");
  if ("problem" in start) return { ok: false, ...start };
  const end = readMoment(tokens, start.next, today, "end");
  if ("problem" in end) return { ok: false, ...end };

  const startDate = start.date ?? today;
  const endDate = end.date ?? (Temporal.PlainTime.compare(end.time, start.time) > 0 ? startDate : startDate.add({ days: 1 }));
  const notes: GardeNotice[] = [];
  const startsAt = resolveWallClock(startDate, start.time, "earlier", start.typed, notes);
  if (typeof startsAt !== "number") return { ok: false, ...startsAt };
  const endsAt = resolveWallClock(endDate, end.time, "later", end.typed, notes);
  if (typeof endsAt !== "number") return { ok: false, ...endsAt };

  if (endsAt <= startsAt) return fail(M.endBeforeStart, { start: start.typed, end: end.typed });
  if (endsAt - startsAt > MAX_SHIFT_HOURS * HOUR_MS) return fail(M.tooLong, { duration: formatDuration(endsAt - startsAt), max: MAX_SHIFT_HOURS });
  if (endsAt <= now) return fail(M.inPast, { end: end.typed });
  if (startsAt - now > MAX_DAYS_AHEAD * 24 * HOUR_MS) return fail(M.tooFarAhead, { start: start.typed });

  const label = tokens.slice(end.next).join(" ");
  if (label.length > LABEL_MAX_CHARS) return fail(M.labelTooLong, { max: LABEL_MAX_CHARS });
  const draft: ShiftDraft = { userId: who, startsAt, endsAt, ...(label !== "" ? { label } : {}) };
  return { ok: true, draft, notes };
}

function fail(text: Localized, params: Record<string, string | number>): { ok: false; problem: GardeNotice } {
  return { ok: false, problem: { text, params } };
}

function problem(text: Localized, params: Record<string, string | number>): Problem {
  return { problem: { text, params } };
}

/** "[date] time" from tokens[at]; `next` is the index after it. */
function readMoment(tokens: readonly string[], at: number, today: Temporal.PlainDate, which: "start" | "end"): Moment | Problem {
  const first = tokens[at];
  if (first === undefined) return problem(which === "start" ? M.missingStart : M.missingEnd, {});
  const date = parseDate(first, today);
  if (date === "invalid") return problem(M.unknownDate, { input: first });
  if (date === undefined) {
    const time = parseTime(first);
    if (time === "invalid") return problem(M.unknownTime, { input: first });
    if (time === undefined) return problem(which === "start" ? M.unknownStart : M.unknownEnd, { input: first });
    return { date: undefined, time, typed: first, next: at + 1 };
  }
  const second = tokens[at + 1];
  if (second === undefined) return problem(M.missingTime, { date: first });
  const time = parseTime(second);
  if (time === undefined || time === "invalid") return problem(M.unknownTime, { input: second });
  return { date, time, typed: `${first} ${second}`, next: at + 2 };
}

/** undefined: not written like a date at all; "invalid": written like one, but no such day. */
function parseDate(token: string, today: Temporal.PlainDate): Temporal.PlainDate | "invalid" | undefined {
  const word = foldText(token).replace(/['’\-]/g, "");
  if (Object.hasOwn(RELATIVE_DAYS, word)) return today.add({ days: RELATIVE_DAYS[word]! });
  if (Object.hasOwn(WEEKDAYS, word)) return today.add({ days: (WEEKDAYS[word]! - today.dayOfWeek + 7) % 7 });
  const iso = ISO_DATE.exec(token);
  if (iso) return plainDate(Number(iso[1]), Number(iso[2]), Number(iso[3])) ?? "invalid";
  const dm = DAY_MONTH.exec(token);
  if (dm) {
    const [day, month] = [Number(dm[1]), Number(dm[2])];
    if (dm[3] !== undefined) return plainDate(dm[3].length === 2 ? 2000 + Number(dm[3]) : Number(dm[3]), month, day) ?? "invalid";
    return nearestYear(today, month, day) ?? "invalid";
  }
  return token.includes("/") ? "invalid" : undefined;
}

/** "24/11" without a year: the 24 November nearest to today, so late December can declare early January. */
function nearestYear(today: Temporal.PlainDate, month: number, day: number): Temporal.PlainDate | undefined {
  const candidates = [today.year - 1, today.year, today.year + 1]
    .map((year) => plainDate(year, month, day))
    .filter((d): d is Temporal.PlainDate => d !== undefined);
  const distance = (d: Temporal.PlainDate) => Math.abs(d.since(today).days);
  return candidates.sort((a, b) => distance(a) - distance(b))[0];
}

function plainDate(year: number, month: number, day: number): Temporal.PlainDate | undefined {
  try {
    return Temporal.PlainDate.from({ year, month, day }, { overflow: "reject" });
  } catch {
    return undefined;
  }
}

/** undefined: not written like a time; "invalid": written like one, out of range ("25h", "8h75"). */
function parseTime(token: string): Temporal.PlainTime | "invalid" | undefined {
  const folded = foldText(token);
  if (Object.hasOwn(NAMED_TIMES, folded)) return Temporal.PlainTime.from(NAMED_TIMES[folded]!);
  const match = TIME.exec(token);
  if (!match) return /^\d/.test(token) ? "invalid" : undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2] ?? match[3] ?? 0);
  if (hour > 23 || minute > 59) return "invalid";
  return Temporal.PlainTime.from({ hour, minute });
}

/**
 * The instant of a Paris wall-clock time. In the spring-forward gap (2h–3h on the last Sunday
 * of March) the time does not exist: refused. In the fall-back hour (2h–3h on the last Sunday
 * of October) it happens twice: `prefer` picks the occurrence that lengthens the shift, and a
 * note tells the coordinator.
 */
function resolveWallClock(date: Temporal.PlainDate, time: Temporal.PlainTime, prefer: "earlier" | "later", typed: string, notes: GardeNotice[]): number | Problem {
  const fields = { year: date.year, month: date.month, day: date.day, hour: time.hour, minute: time.minute, timeZone: PARIS_TIME_ZONE };
  const earlier = Temporal.ZonedDateTime.from(fields, { disambiguation: "earlier" });
  const later = Temporal.ZonedDateTime.from(fields, { disambiguation: "later" });
  if (earlier.epochMilliseconds === later.epochMilliseconds) return earlier.epochMilliseconds;
  if (earlier.hour !== time.hour || earlier.minute !== time.minute) return problem(M.skippedTime, { input: typed });
  notes.push({ text: prefer === "earlier" ? M.repeatedStart : M.repeatedEnd, params: { input: typed } });
  return (prefer === "earlier" ? earlier : later).epochMilliseconds;
}
