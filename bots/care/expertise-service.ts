import type { BaseContext, Reply } from "../core/commands/command.ts";
import { type Lang, localize } from "../core/i18n/lang.ts";
import type { IncomingEvent, Reaction } from "../core/intake.ts";
import type { JobHandler } from "../core/scheduler.ts";
import { foldName } from "../directory/territory.ts";
import { parsePeriod } from "../core/time/period.ts";
import { codeFor, type CareDeps, languageOf, roomLink, say } from "./care-context.ts";
import { readExpertiseArgs } from "./domain/command-args.ts";
import { planExpertiseWaves, type ExpertiseEvent, type ExpertiseRefusal, type ExpertiseState } from "./domain/expertise.ts";
import { expertiseCsv } from "./domain/expertise-export.ts";
import { expertiseCode, normaliseCode, userId, type ExpertiseCode } from "./domain/ids.ts";
import { shortDate, shortDateTime } from "../core/time/paris-time.ts";
import { EXPERTISE_MESSAGES as M } from "./messages/expertise-messages.ts";

export const EXPERTISE_JOB_KIND = "care-expertise-wave";
export interface ExpertiseWavePayload { readonly expertiseCode: ExpertiseCode; readonly wave: number }

/** Reactions that take a request: a raised hand, or a check mark by habit. */
const TAKE_KEYS = new Set(["✋", "✋️", "✅"]);

const LIST_LIMIT = 15;

export function expertiseRoomName(state: Pick<ExpertiseState, "code" | "specialty">, lang: Lang): string {
  return localize(M.roomName, lang, { code: state.code, specialty: state.specialty.label });
}

/**
 * Téléexpertise: the request and its routing, the first expert to take it, the answer that
 * closes it, the requester's files handed on to the expert, and the record for the funder.
 */
export class ExpertiseService {
  private readonly deps: CareDeps;

  constructor(deps: CareDeps) {
    this.deps = deps;
  }

  private get now(): number {
    return this.deps.services.clock.now();
  }

  /** `!avis <specialty> <question>` or `!avis prendre|annule <code>`, `!avis liste`, `!avis export [période]`. */
  async command(ctx: BaseContext, args: readonly string[]): Promise<Reply> {
    const action = args[0] === undefined ? undefined : foldName(args[0]);
    if (action === "prendre" || action === "take") return this.withCode(ctx, args, (state) => this.applyAs(ctx.lang, state, { type: "take", at: this.now, by: userId(ctx.sender) }));
    if (action === "annule" || action === "cancel") return this.withCode(ctx, args, (state) => this.applyAs(ctx.lang, state, { type: "cancel", at: this.now, by: userId(ctx.sender) }));
    if (action === "liste" || action === "list") return this.list(ctx);
    if (action === "export") return this.export(ctx, args.slice(1));
    return this.request(ctx, args);
  }

  private async request(ctx: BaseContext, args: readonly string[]): Promise<Reply> {
    if (ctx.eventId !== undefined) {
      const replayed = this.deps.expertise.get(expertiseCode(codeFor("expertise", ctx.eventId, () => false)));
      if (replayed && replayed.state.requester === ctx.sender && replayed.originRoomId === ctx.roomId) return this.requestedReply(ctx, replayed.state, replayed.roomId);
    }
    const read = readExpertiseArgs(args);
    if (!read.ok) return say(ctx.lang, read.problem === "specialty-missing" ? M.specialtyMissing : M.questionMissing, { specialty: args[0] ?? "" });
    const { specialty, query, declaredWords, question } = read.value;
    const requester = userId(ctx.sender);
    const waves = planExpertiseWaves(this.deps.people.expertCandidates(), declaredWords, query, requester);
    const code = expertiseCode(codeFor("expertise", ctx.eventId, (c) => this.deps.expertise.get(expertiseCode(c)) !== undefined));
    const transition = this.deps.expertise.open({ code, requester, specialty }, waves, ctx.roomId, question);
    this.deps.services.logger.info({ expertiseCode: code, specialty: specialty.key, waves: waves.map((w) => w.length), correlationId: ctx.correlationId }, "téléexpertise requested");
    await this.deps.drain();
    return this.requestedReply(ctx, transition.state, this.deps.expertise.get(code)?.roomId);
  }

  private requestedReply(ctx: BaseContext, state: ExpertiseState, roomId: string | undefined): Reply {
    if (state.notified.length === 0) return say(ctx.lang, M.noExpert, { specialty: state.specialty.label, code: state.code });
    return say(ctx.lang, M.requested, {
      code: state.code,
      specialty: state.specialty.label,
      count: state.notified.length,
      room: expertiseRoomName(state, this.deps.services.defaultLanguage),
      link: roomId ? roomLink(roomId) : "…",
    });
  }

  private withCode(ctx: BaseContext, args: readonly string[], run: (state: ExpertiseState) => Promise<Reply>): Promise<Reply> | Reply {
    if (args[1] === undefined) return say(ctx.lang, M.codeMissing, { action: args[0]! });
    const code = normaliseCode("expertise", args[1]);
    const record = code ? this.deps.expertise.get(expertiseCode(code)) : undefined;
    if (!code || !record) return say(ctx.lang, M.unknownRequest, { code: args[1] });
    return run(record.state);
  }

  /** `!reponse <avis>` in the request's room: the expert's answer stays in the room; the request is closed. */
  async answer(ctx: BaseContext, text: string | undefined): Promise<Reply> {
    const record = this.deps.expertise.byRoom(ctx.roomId);
    if (!record) return say(ctx.lang, M.notExpertiseRoom);
    if ((text ?? "").trim() === "") return say(ctx.lang, M.answerMissing);
    const transition = this.deps.expertise.apply(record.state.code, { type: "answer", at: this.now, by: userId(ctx.sender) });
    if (transition.refusal) return this.refusal(ctx.lang, transition.state, transition.refusal);
    this.deps.services.logger.info({ expertiseCode: record.state.code, correlationId: ctx.correlationId }, "téléexpertise answered");
    await this.deps.drain();
    return say(ctx.lang, M.answerRecorded, { expert: this.deps.people.nameOf(ctx.sender), date: shortDateTime(transition.state.answeredAt ?? this.now), code: record.state.code });
  }

  private async applyAs(lang: Lang, state: ExpertiseState, event: Extract<ExpertiseEvent, { type: "take" | "cancel" }>): Promise<Reply> {
    const transition = this.deps.expertise.apply(state.code, event);
    if (transition.refusal) return this.refusal(lang, transition.state, transition.refusal);
    this.deps.services.logger.info({ expertiseCode: state.code, event: event.type }, "téléexpertise updated");
    await this.deps.drain();
    return say(lang, event.type === "take" ? M.takenByYou : M.cancelledAck, { code: state.code });
  }

  private refusal(lang: Lang, state: ExpertiseState, refusal: ExpertiseRefusal): Reply {
    const params = { code: state.code, expert: state.takenBy ? this.deps.people.nameOf(state.takenBy) : "", status: this.statusText(state, lang) };
    const text = {
      "not-asked": M.refusedNotAsked,
      "already-taken": M.refusedAlreadyTaken,
      "not-open": M.refusedNotOpen,
      "not-expert": M.refusedNotExpert,
      "not-requester": M.refusedNotRequester,
      finished: M.refusedFinished,
    }[refusal];
    return say(lang, text, params);
  }

  /** ✋ on a notification takes the request; the confirmation (or refusal) answers the reaction. */
  async onReaction(reaction: Reaction): Promise<boolean> {
    const notification = this.deps.expertise.notificationByEvent(reaction.targetEventId);
    if (!notification || notification.userId !== reaction.sender) return false;
    if (!TAKE_KEYS.has(reaction.key)) return true;
    const record = this.deps.expertise.get(notification.code);
    if (!record) return true;
    const reply = await this.applyAs(languageOf(this.deps, reaction.sender), record.state, { type: "take", at: this.now, by: notification.userId });
    await this.deps.services.messenger.notice(reaction.roomId, reply, `care-reaction:${reaction.eventId}`, notification.eventId);
    return true;
  }

  /**
   * What the requester posts in the request's room before an expert arrives is noted, to be
   * handed on to them; once taken, until the expert is invited, too (the hand-on reads the list then).
   */
  onMessage(event: IncomingEvent): boolean {
    const record = this.deps.expertise.byRoom(event.roomId);
    if (!record) return false;
    const { state } = record;
    if (event.sender === state.requester && (state.status === "open" || state.status === "taken")) this.deps.expertise.recordAttachment(state.code, event.eventId, event.originServerTs);
    return true;
  }

  private list(ctx: BaseContext): Reply {
    const states = this.deps.expertise.involving(ctx.sender, LIST_LIMIT);
    if (states.length === 0) return say(ctx.lang, M.listEmpty);
    const lines = states.map((s) => {
      const who = s.requester === ctx.sender ? this.deps.people.nameOf(ctx.sender) : this.deps.people.nameOf(s.requester);
      return `• ${localize(M.listLine, ctx.lang, { code: s.code, specialty: s.specialty.label, who, status: this.statusText(s, ctx.lang), date: shortDate(s.createdAt) })}`;
    });
    return { text: [localize(M.listHeader, ctx.lang), ...lines].join("\n") };
  }

  statusText(state: ExpertiseState, lang: Lang): string {
    const expert = state.takenBy ? this.deps.people.nameOf(state.takenBy) : "";
    const text = { open: M.statusOpen, taken: M.statusTaken, answered: M.statusAnswered, expired: M.statusExpired, cancelled: M.statusCancelled }[state.status];
    return localize(text, lang, { expert });
  }

  /** The record for the funder and billing, as an encrypted CSV file in the coordinator's room. */
  private async export(ctx: BaseContext, words: readonly string[]): Promise<Reply> {
    if (!this.deps.services.cpts.coordinators.includes(ctx.sender)) return say(ctx.lang, M.coordinatorsOnly);
    const period = parsePeriod(words, this.now);
    if (!period) return say(ctx.lang, M.periodHelp);
    const requests = this.deps.expertise.createdBetween(period.from, period.to);
    const csv = expertiseCsv(requests, (u) => this.deps.people.onRecord(u));
    await this.deps.services.messenger.file(ctx.roomId, { name: `teleexpertises-${period.label}.csv`, mimetype: "text/csv", data: new TextEncoder().encode(csv) }, `care-export:${ctx.eventId ?? ctx.correlationId}`);
    return say(ctx.lang, M.exported, { label: period.label.replace("_", " → "), count: requests.length, answered: requests.filter((r) => r.status === "answered").length });
  }

  jobHandlers(): [string, JobHandler][] {
    return [
      [
        EXPERTISE_JOB_KIND,
        async (job) => {
          const { expertiseCode: code, wave } = job.payload as ExpertiseWavePayload;
          if (!this.deps.expertise.get(code)) return;
          this.deps.expertise.apply(code, { type: "wave-timeout", at: this.now, wave });
          await this.deps.drain();
        },
      ],
    ];
  }
}

