// A multi-professional meeting (RCP) or a téléconsultation in a case room, as a video call:
// reading `!rcp [date] heure [durée] [objet]` in Paris time, when to remind, the calendar
// file, and who took part according to the call membership events. Pure.
import { createEvent } from "ics";
import { Temporal } from "temporal-polyfill";
import { foldText } from "../../core/i18n/lang.ts";
import { PARIS_TIME_ZONE, parisToday } from "../../core/time/paris-time.ts";

const MINUTE_MS = 60_000;
export const REMINDER_BEFORE_MS = 15 * MINUTE_MS;
export const DEFAULT_DURATION_MIN = 60;
const MIN_DURATION_MIN = 10;
const MAX_DURATION_MIN = 8 * 60;
const MAX_DAYS_AHEAD = 365;
const SUBJECT_MAX_CHARS = 120;

export interface RcpDraft {
  readonly startsAt: number;
  readonly durationMin: number;
  /** As typed ("point plaie, adaptation antalgie"); "" when none. */
  readonly subject: string;
}

export type RcpProblem =
  | { readonly problem: "missing-time" }
  | { readonly problem: "unknown-date"; readonly input: string }
  | { readonly problem: "unknown-time"; readonly input: string }
  | { readonly problem: "bad-duration"; readonly input: string; readonly min: number; readonly max: number }
  | { readonly problem: "in-past" }
  | { readonly problem: "too-far"; readonly days: number }
  | { readonly problem: "subject-too-long"; readonly max: number };

export type RcpParse = ({ readonly ok: true } & RcpDraft) | ({ readonly ok: false } & RcpProblem);

const RELATIVE_DAYS: Readonly<Record<string, number>> = { aujourdhui: 0, auj: 0, today: 0, demain: 1, tomorrow: 1, apresdemain: 2 };
/** Temporal's dayOfWeek: 1 = Monday … 7 = Sunday. */
const WEEKDAYS: Readonly<Record<string, number>> = {
  lundi: 1, monday: 1, mardi: 2, tuesday: 2, mercredi: 3, wednesday: 3, jeudi: 4, thursday: 4,
  vendredi: 5, friday: 5, samedi: 6, saturday: 6, dimanche: 7, sunday: 7,
};
const DAY_MONTH = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{2}|\d{4}))?$/;
const TIME = /^(\d{1,2})(?:h(\d{2})?|:(\d{2}))$/i;
/** "45min", "45mn", "1h", "1h30", "90'". A bare "14h" right after the time is a duration only when it follows it. */
const DURATION = /^(?:(\d{1,2})h(\d{2})?|(\d{1,3})\s*(?:min|mn|m|'))$/i;

/** Reads the words after `!rcp`; `now` decides "today", the year of "12/03" and what is past. */
export function parseRcp(words: readonly string[], now: number): RcpParse {
  const today = parisToday(now);
  let at = 0;
  let date: Temporal.PlainDate = today;
  const first = words[at];
  if (first === undefined) return { ok: false, problem: "missing-time" };
  const parsedDate = parseDate(first, today);
  if (parsedDate === "invalid") return { ok: false, problem: "unknown-date", input: first };
  if (parsedDate !== undefined) {
    date = parsedDate;
    at++;
  }
  const timeWord = words[at];
  if (timeWord === undefined) return { ok: false, problem: "missing-time" };
  const time = TIME.exec(timeWord);
  const [hour, minute] = time ? [Number(time[1]), Number(time[2] ?? time[3] ?? 0)] : [NaN, NaN];
  if (!time || hour > 23 || minute > 59) return { ok: false, problem: "unknown-time", input: timeWord };
  at++;

  let durationMin = DEFAULT_DURATION_MIN;
  const durationWord = words[at];
  const duration = durationWord === undefined ? null : DURATION.exec(durationWord);
  if (duration && durationWord !== undefined) {
    durationMin = duration[3] !== undefined ? Number(duration[3]) : Number(duration[1]) * 60 + Number(duration[2] ?? 0);
    if (durationMin < MIN_DURATION_MIN || durationMin > MAX_DURATION_MIN) {
      return { ok: false, problem: "bad-duration", input: durationWord, min: MIN_DURATION_MIN, max: MAX_DURATION_MIN };
    }
    at++;
  }
  const subject = words.slice(at).join(" ").trim();
  if (subject.length > SUBJECT_MAX_CHARS) return { ok: false, problem: "subject-too-long", max: SUBJECT_MAX_CHARS };

  // A time that does not exist on the day clocks go forward takes the later instant.
  const startsAt = date.toZonedDateTime({ timeZone: PARIS_TIME_ZONE, plainTime: new Temporal.PlainTime(hour, minute) }).epochMilliseconds;
  if (startsAt <= now) return { ok: false, problem: "in-past" };
  if (startsAt - now > MAX_DAYS_AHEAD * 24 * 60 * MINUTE_MS) return { ok: false, problem: "too-far", days: MAX_DAYS_AHEAD };
  return { ok: true, startsAt, durationMin, subject };
}

function parseDate(token: string, today: Temporal.PlainDate): Temporal.PlainDate | "invalid" | undefined {
  const word = foldText(token).replace(/['’\-]/g, "");
  if (Object.hasOwn(RELATIVE_DAYS, word)) return today.add({ days: RELATIVE_DAYS[word]! });
  if (Object.hasOwn(WEEKDAYS, word)) return today.add({ days: (WEEKDAYS[word]! - today.dayOfWeek + 7) % 7 });
  const dm = DAY_MONTH.exec(token);
  if (!dm) return token.includes("/") ? "invalid" : undefined;
  const [day, month] = [Number(dm[1]), Number(dm[2])];
  const explicitYear = dm[3] === undefined ? undefined : dm[3].length === 2 ? 2000 + Number(dm[3]) : Number(dm[3]);
  const make = (year: number): Temporal.PlainDate | undefined => {
    try {
      return Temporal.PlainDate.from({ year, month, day }, { overflow: "reject" });
    } catch {
      return undefined;
    }
  };
  if (explicitYear !== undefined) return make(explicitYear) ?? "invalid";
  // "12/03" without a year: this year's, or next year's once this year's is past.
  const thisYear = make(today.year);
  if (!thisYear) return make(today.year + 1) ?? "invalid";
  return Temporal.PlainDate.compare(thisYear, today) >= 0 ? thisYear : (make(today.year + 1) ?? "invalid");
}

/** When the members are reminded: 15 minutes before; none when that moment is already past. */
export function reminderDueAt(startsAt: number, now: number): number | undefined {
  const due = startsAt - REMINDER_BEFORE_MS;
  return due > now ? due : undefined;
}

export interface CalendarInvite {
  /** Unique and stable: a calendar updates the same event when it gets it again. */
  readonly uid: string;
  readonly startsAt: number;
  readonly durationMin: number;
  readonly title: string;
  readonly description: string;
  /** Where to join: the case room in the CPTS's Element Web. */
  readonly url: string;
}

/** The .ics file (RFC 5545), in UTC, with a 15-minute alarm. */
export function calendarFile(invite: CalendarInvite): string {
  const { error, value } = createEvent({
    uid: invite.uid,
    start: invite.startsAt,
    startInputType: "utc",
    startOutputType: "utc",
    duration: { minutes: invite.durationMin },
    title: invite.title,
    description: invite.description,
    url: invite.url,
    productId: "cpts-messagerie",
    alarms: [{ action: "display", description: invite.title, trigger: { minutes: REMINDER_BEFORE_MS / MINUTE_MS, before: true } }],
  });
  if (error || !value) throw new Error(`calendar file: ${error?.message ?? "no output"}`);
  return value;
}

/**
 * One call membership state event (`org.matrix.msc3401.call.member`) as the bot saw it:
 * a device joined (content with a focus) or left (empty content). Content is never kept.
 */
export interface CallMembershipObservation {
  readonly userId: string;
  readonly deviceId: string;
  readonly at: number;
  readonly joined: boolean;
}

export interface Attendance {
  /** First join within the window, undefined when nobody came. */
  readonly startedAt?: number;
  /** Last leave (or the window's end for those still in the call). */
  readonly endedAt?: number;
  /** Each participant with their time in the call, longest first. */
  readonly participants: readonly { readonly userId: string; readonly minutes: number }[];
}

/**
 * Who took part between `from` and `to`: each device's presence intervals (a join opens one,
 * a leave closes it; a device already in the call at `from` counts from `from`), merged per
 * person, so someone on a phone and a computer counts once.
 */
export function attendance(observations: readonly CallMembershipObservation[], from: number, to: number): Attendance {
  const sorted = [...observations].sort((a, b) => a.at - b.at);
  const openSince = new Map<string, number>();
  const intervals = new Map<string, [number, number][]>();
  const close = (key: string, userId: string, end: number): void => {
    const start = openSince.get(key);
    if (start === undefined) return;
    openSince.delete(key);
    const [s, e] = [Math.max(start, from), Math.min(end, to)];
    if (e > s) intervals.set(userId, [...(intervals.get(userId) ?? []), [s, e]]);
  };
  for (const o of sorted) {
    if (o.at > to) break;
    const key = `${o.userId}\u0000${o.deviceId}`;
    if (o.joined) {
      if (!openSince.has(key)) openSince.set(key, o.at);
    } else close(key, o.userId, o.at);
  }
  for (const key of [...openSince.keys()]) close(key, key.split("\u0000")[0]!, to);

  let startedAt: number | undefined;
  let endedAt: number | undefined;
  const participants = [...intervals].map(([userId, spans]) => {
    spans.sort((a, b) => a[0] - b[0]);
    let total = 0;
    let [curStart, curEnd] = spans[0]!;
    for (const [s, e] of spans.slice(1)) {
      if (s <= curEnd) curEnd = Math.max(curEnd, e);
      else {
        total += curEnd - curStart;
        [curStart, curEnd] = [s, e];
      }
    }
    total += curEnd - curStart;
    startedAt = Math.min(startedAt ?? Infinity, spans[0]![0]);
    endedAt = Math.max(endedAt ?? -Infinity, ...spans.map((sp) => sp[1]));
    return { userId, minutes: Math.round(total / MINUTE_MS) };
  });
  participants.sort((a, b) => b.minutes - a.minutes || a.userId.localeCompare(b.userId));
  return { ...(startedAt !== undefined ? { startedAt, endedAt: endedAt! } : {}), participants };
}

/**
 * Reads a call membership state event (MSC4143: state key `_@user:server_DEVICE_m.call`,
 * older clients `@user:server_DEVICE`, the oldest a `memberships` list keyed by user): who,
 * which device, joined (a membership) or left (empty content). Only these facts are kept.
 */
export function callMembershipOf(sender: string, stateKey: string, content: Record<string, unknown>, at: number): CallMembershipObservation {
  if (Array.isArray(content["memberships"])) {
    const memberships = content["memberships"] as { device_id?: unknown }[];
    const device = memberships.find((m) => typeof m.device_id === "string")?.device_id as string | undefined;
    return { userId: sender, deviceId: device ?? stateKey, at, joined: memberships.length > 0 };
  }
  const key = stateKey.replace(/^_/, "").replace(/_m\.call$/, "");
  const deviceFromKey = key.startsWith(`${sender}_`) ? key.slice(sender.length + 1) : key;
  const deviceId = typeof content["device_id"] === "string" ? content["device_id"] : deviceFromKey;
  return { userId: sender, deviceId, at, joined: Object.keys(content).length > 0 };
}
