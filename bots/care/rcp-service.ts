import type { MatrixEvent } from "matrix-js-sdk";
import type { BaseContext, Reply } from "../core/commands/command.ts";
import { localize } from "../core/i18n/lang.ts";
import type { JobHandler } from "../core/scheduler.ts";
import { type CareDeps, roomLink, say } from "./care-context.ts";
import type { CaseLookup } from "./case-lookup.ts";
import { shortDate, shortDateTime } from "../core/time/paris-time.ts";
import { attendance, calendarFile, callMembershipOf, parseRcp, REMINDER_BEFORE_MS, reminderDueAt } from "./domain/rcp.ts";
import { RCP_MESSAGES as M } from "./messages/rcp-messages.ts";
import type { RcpStore } from "./store/rcp-store.ts";

export const RCP_REMINDER_JOB = "care-rcp-reminder";
export const RCP_RECORD_JOB = "care-rcp-record";
interface RcpJobPayload { readonly rcpId: number }
/** Who joined early or stayed late still took part. */
const RECORD_AFTER_END_MS = 30 * 60_000;
const hhmm = (epochMs: number): string => shortDateTime(epochMs).split(" ")[1]!;

/**
 * `!rcp`: a video meeting of the case's team (RCP, or a téléconsultation with the patient's
 * professional), announced to the team with join instructions and an encrypted .ics file,
 * reminded 15 minutes before, and recorded (who, from when to when) from the room's call
 * membership events.
 */
export class RcpService {
  private readonly deps: CareDeps;
  private readonly lookup: CaseLookup;
  private readonly store: RcpStore;

  constructor(deps: CareDeps, lookup: CaseLookup, store: RcpStore) {
    this.deps = deps;
    this.lookup = lookup;
    this.store = store;
  }

  async schedule(ctx: BaseContext, words: readonly string[]): Promise<Reply> {
    const found = this.lookup.caseOf(ctx, undefined, "rcp", { roomOnly: true });
    if ("reply" in found) return found.reply;
    const { record: caseRecord } = found;
    if (caseRecord.state.status !== "open") return say(ctx.lang, M.caseClosed, { code: caseRecord.state.code });
    const now = this.deps.services.clock.now();
    const parsed = parseRcp(words, now);
    if (!parsed.ok) {
      const { ok: _ok, problem, ...params } = parsed;
      return say(ctx.lang, M[problem], params);
    }
    const { record, created } = this.store.schedule({
      caseCode: caseRecord.state.code,
      roomId: ctx.roomId,
      scheduledBy: ctx.sender,
      commandEvent: ctx.eventId ?? `command:${ctx.correlationId}`,
      startsAt: parsed.startsAt,
      durationMin: parsed.durationMin,
    });
    if (created) this.deps.services.logger.info({ caseCode: record.caseCode, rcpId: record.id, startsAt: record.startsAt, correlationId: ctx.correlationId }, "RCP scheduled");

    const lang = this.deps.services.defaultLanguage;
    const kind = localize(M.kindRcp, lang);
    const subject = parsed.subject === "" ? "" : ` : ${parsed.subject}`;
    const messenger = this.deps.services.messenger;
    if (!record.invitationEvent) {
      const team = (await this.deps.rooms.teamOf(ctx.roomId)).filter((u) => u !== this.deps.services.userId);
      const text = localize(M.invitation, lang, {
        kind,
        when: shortDateTime(record.startsAt),
        duration: record.durationMin,
        subject,
        by: this.deps.people.nameOf(ctx.sender),
      });
      const eventId = await messenger.mention(ctx.roomId, { text }, team, `rcp:${record.id}:invitation`);
      const ics = calendarFile({
        uid: `rcp-${record.id}-${record.caseCode}@${this.deps.services.userId.split(":")[1]}`,
        startsAt: record.startsAt,
        durationMin: record.durationMin,
        title: `${kind} ${record.caseCode}${subject}`,
        description: localize(M.icsDescription, lang, { code: record.caseCode }),
        url: roomLink(ctx.roomId),
      });
      await messenger.file(ctx.roomId, { name: `${kind}-${record.caseCode}.ics`, mimetype: "text/calendar", data: new TextEncoder().encode(ics) }, `rcp:${record.id}:ics`);
      this.store.markInvited(record.id, eventId);
    }
    const remindAt = reminderDueAt(record.startsAt, now);
    const jobs = this.deps.services.jobs;
    if (remindAt !== undefined) jobs.schedule({ kind: RCP_REMINDER_JOB, dueAt: remindAt, payload: { rcpId: record.id } satisfies RcpJobPayload, dedupeKey: `care:rcp:${record.id}:reminder` });
    jobs.schedule({ kind: RCP_RECORD_JOB, dueAt: record.startsAt + record.durationMin * 60_000 + RECORD_AFTER_END_MS, payload: { rcpId: record.id } satisfies RcpJobPayload, dedupeKey: `care:rcp:${record.id}:record` });
    const reminder = remindAt === undefined ? localize(M.noReminder, ctx.lang) : localize(M.reminderAt, ctx.lang, { at: shortDateTime(remindAt) });
    return say(ctx.lang, M.scheduled, { reminder });
  }

  /** A call membership state event in a case room: kept as who/device/when/joined, nothing else. */
  onCallMembership(event: MatrixEvent): void {
    const roomId = event.getRoomId();
    const sender = event.getSender();
    const eventId = event.getId();
    if (!roomId || !sender || !eventId || !this.deps.cases.byRoom(roomId)) return;
    this.store.observeCallMembership(eventId, roomId, callMembershipOf(sender, event.getStateKey() ?? "", event.getContent(), event.getTs()));
  }

  jobHandlers(): [string, JobHandler][] {
    const lang = this.deps.services.defaultLanguage;
    const kind = localize(M.kindRcp, lang);
    return [
      [
        RCP_REMINDER_JOB,
        async (job) => {
          const record = this.store.get((job.payload as RcpJobPayload).rcpId);
          if (!record || record.remindedAt !== undefined) return;
          const team = (await this.deps.rooms.teamOf(record.roomId)).filter((u) => u !== this.deps.services.userId);
          const text = localize(M.reminder, lang, { kind, time: hhmm(record.startsAt) });
          await this.deps.services.messenger.mention(record.roomId, { text }, team, `rcp:${record.id}:reminder`, record.invitationEvent);
          this.store.markReminded(record.id);
        },
      ],
      [
        RCP_RECORD_JOB,
        async (job) => {
          const record = this.store.get((job.payload as RcpJobPayload).rcpId);
          if (!record || record.attendance) return;
          const from = record.startsAt - REMINDER_BEFORE_MS;
          const to = record.startsAt + record.durationMin * 60_000 + RECORD_AFTER_END_MS;
          const result = attendance(this.store.callMemberships(record.roomId, to), from, to);
          this.store.recordAttendance(record.id, result);
          this.deps.services.logger.info({ caseCode: record.caseCode, rcpId: record.id, participants: result.participants.length }, "RCP attendance recorded");
          const text =
            result.startedAt === undefined
              ? localize(M.nobody, lang, { kind, date: shortDate(record.startsAt) })
              : localize(M.attended, lang, {
                  kind,
                  date: shortDate(record.startsAt),
                  from: hhmm(result.startedAt),
                  to: hhmm(result.endedAt!),
                  count: result.participants.length,
                  names: result.participants.map((p) => `${this.deps.people.nameOf(p.userId)} (${p.minutes} min)`).join(", "),
                });
          await this.deps.services.messenger.notice(record.roomId, { text }, `rcp:${record.id}:record`, record.invitationEvent);
        },
      ],
    ];
  }
}
