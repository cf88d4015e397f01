import ms from "ms";
import type { BaseContext, Reply } from "../core/commands/command.ts";
import { type Lang, localize } from "../core/i18n/lang.ts";
import type { Reaction } from "../core/intake.ts";
import type { JobHandler } from "../core/scheduler.ts";
import { foldName } from "../directory/territory.ts";
import { codeFor, type CareDeps, languageOf, say } from "./care-context.ts";
import type { CaseLookup } from "./case-lookup.ts";
import { readReferralArgs } from "./domain/command-args.ts";
import { normaliseCode, referralCode, userId, type CaseCode, type ReferralCode, type UserId } from "./domain/ids.ts";
import { shortDateTime } from "../core/time/paris-time.ts";
import type { ReferralEvent, ReferralRefusal, ReferralState, ReferralStatus } from "./domain/referral.ts";
import { CASE_MESSAGES as C } from "./messages/case-messages.ts";
import { REFERRAL_MESSAGES as M } from "./messages/referral-messages.ts";
import type { TeamService } from "./team-service.ts";

export const REFERRAL_JOB_KIND = "care-referral-reminder";
export interface ReferralReminderPayload { readonly referralCode: ReferralCode }

const ACCEPT_KEY = "✅";
const DECLINE_KEY = "❌";

const STATUS_LABELS = {
  sent: M.statusSent,
  seen: M.statusSeen,
  accepted: M.statusAccepted,
  declined: M.statusDeclined,
  done: M.statusDone,
  cancelled: M.statusCancelled,
} as const satisfies Record<ReferralStatus, unknown>;

function referralStatusLabel(status: ReferralStatus, lang: Lang): string {
  return localize(STATUS_LABELS[status], lang);
}

const LIST_LIMIT = 15;

/** What a person does to a referral (the others come from timers and receipts). */
type AnswerEvent = Exclude<ReferralEvent, { type: "seen" | "reminder-due" }>;

/**
 * Referrals (adressage): sending one from a case room or a direct chat, the target's
 * answer (command, reaction, or a reason asked for), done and cancel, the reminder, "seen"
 * from read receipts, and each person's list with every timestamp.
 */
export class ReferralService {
  private readonly deps: CareDeps;
  private readonly lookup: CaseLookup;
  private readonly team: TeamService;

  constructor(deps: CareDeps, lookup: CaseLookup, team: TeamService) {
    this.deps = deps;
    this.lookup = lookup;
    this.team = team;
  }

  private get now(): number {
    return this.deps.services.clock.now();
  }

  async refer(ctx: BaseContext, args: readonly string[]): Promise<Reply> {
    const replayed = ctx.eventId === undefined ? undefined : this.replayOf(ctx);
    if (replayed) return this.sentReply(ctx, replayed.state);
    const fromCase = this.deps.cases.byRoom(ctx.roomId);
    if (fromCase) {
      if (fromCase.state.status !== "open") return say(ctx.lang, C.caseClosed, { code: fromCase.state.code });
      if (!this.deps.cases.isManager(fromCase.state.code, ctx.sender)) return this.lookup.managersOnly(ctx.lang, fromCase.state.code);
    }
    const read = readReferralArgs(args, this.deps.territory);
    if (!read.ok) return say(ctx.lang, { "target-missing": M.targetMissing, "reason-missing": M.reasonMissing, "target-unclear": M.targetUnclear }[read.problem]);
    const caseCode = fromCase?.state.code;
    if (read.target.kind !== "search") {
      const resolved = this.lookup.resolve(read.target, ctx.lang);
      if ("refusal" in resolved) return { text: resolved.refusal };
      return this.send(ctx, resolved.userId, read.reason, caseCode);
    }
    const search = this.deps.people.search(read.target.text, ctx.sender);
    if (!search.ok) return say(ctx.lang, search.error === "empty" ? C.searchEmpty : C.searchTooLong);
    const candidates = search.members.filter((m) => m.userId !== ctx.sender && m.userId !== this.deps.services.userId);
    if (candidates.length === 0) {
      const others = search.notOnMessaging > 0 ? localize(C.searchOthers, ctx.lang, { count: search.notOnMessaging }) : "";
      return say(ctx.lang, C.searchNobody, { query: read.target.text, others });
    }
    if (candidates.length === 1) return this.send(ctx, candidates[0]!.userId, read.reason, caseCode);
    return this.team.offerChoice(ctx, read.target.text, candidates, { action: "refer", reason: read.reason, ...(caseCode ? { caseCode } : {}) });
  }

  /** Checks the target, records the referral and sends it; the code derives from the message (a replay finds it). */
  async send(ctx: BaseContext, target: UserId, reason: string, caseCode: CaseCode | undefined): Promise<Reply> {
    const name = this.deps.people.nameOf(target);
    if (target === ctx.sender) return say(ctx.lang, M.referSelf);
    if (target === this.deps.services.userId) return say(ctx.lang, C.refusedBot);
    const status = this.deps.people.statusOf(target);
    if (status === "deactivated") return say(ctx.lang, C.refusedDeactivated, { name });
    if (status === "unknown") return say(ctx.lang, C.refusedNotMember, { name });
    if (caseCode) {
      const roomId = this.deps.cases.get(caseCode)?.roomId;
      if (roomId && (await this.deps.rooms.membership(roomId, target)) === "join") return say(ctx.lang, M.referAlreadyInTeam, { name, code: caseCode });
    }
    const code = referralCode(codeFor("referral", ctx.eventId, (c) => this.deps.referrals.get(referralCode(c)) !== undefined));
    const transition = this.deps.referrals.send({ code, sender: userId(ctx.sender), target, caseCode }, ctx.roomId, reason);
    this.deps.services.logger.info({ referralCode: code, fromCase: caseCode ?? null, correlationId: ctx.correlationId }, "referral sent");
    await this.deps.drain();
    return this.sentReply(ctx, transition.state);
  }

  /** The referral this message already sent (handled again after a crash). */
  private replayOf(ctx: BaseContext): { state: ReferralState } | undefined {
    const derived = codeFor("referral", ctx.eventId, () => false);
    const record = this.deps.referrals.get(referralCode(derived));
    return record && record.state.sender === ctx.sender && record.originRoomId === ctx.roomId ? record : undefined;
  }

  private sentReply(ctx: BaseContext, state: ReferralState): Reply {
    return say(ctx.lang, M.referralSent, {
      code: state.code,
      name: this.deps.people.describe(state.target),
      date: shortDateTime(state.createdAt),
      delay: ms(this.deps.options.referralReminderAfter, { long: false }),
    });
  }

  /** `!adressage accepte|refuse|fait|annule <code> [raison]`, `!adressage liste`. */
  async act(ctx: BaseContext, args: readonly string[]): Promise<Reply> {
    const action = args[0] === undefined ? "liste" : foldName(args[0]);
    if (["liste", "list"].includes(action)) return this.list(ctx);
    const known = new Map<string, "accept" | "decline" | "done" | "cancel">([
      ["accepte", "accept"],
      ["accept", "accept"],
      ["refuse", "decline"],
      ["decline", "decline"],
      ["fait", "done"],
      ["done", "done"],
      ["annule", "cancel"],
      ["cancel", "cancel"],
    ]);
    const kind = known.get(action);
    if (!kind) return say(ctx.lang, M.referralSummary);
    if (args[1] === undefined) return say(ctx.lang, M.codeMissing, { action: args[0]! });
    const code = normaliseCode("referral", args[1]);
    const record = code ? this.deps.referrals.get(referralCode(code)) : undefined;
    if (!code || !record) return say(ctx.lang, M.unknownReferral, { code: args[1] });
    const actor = userId(ctx.sender);
    const reason = args.slice(2).join(" ");
    if (kind === "decline" && reason.trim() === "") return say(ctx.lang, M.declineReasonMissing, { code });
    const event: AnswerEvent = kind === "decline" ? { type: "decline", at: this.now, by: actor, reason } : { type: kind, at: this.now, by: actor };
    return this.applyAs(ctx.lang, record.state, event);
  }

  /** Applies the actor's event and says what it did, or why it was refused. */
  private async applyAs(lang: Lang, state: ReferralState, event: AnswerEvent): Promise<Reply> {
    const transition = this.deps.referrals.apply(state.code, event);
    if (transition.refusal) return this.refusal(lang, transition.state, transition.refusal);
    this.deps.services.logger.info({ referralCode: state.code, event: event.type }, "referral answered");
    await this.deps.drain();
    const params = { code: state.code, sender: this.deps.people.nameOf(state.sender), target: this.deps.people.nameOf(state.target) };
    return say(lang, { accept: M.acceptedByYou, decline: M.declinedByYou, done: M.doneByYou, cancel: M.cancelledByYou }[event.type], params);
  }

  private refusal(lang: Lang, state: ReferralState, refusal: ReferralRefusal): Reply {
    const params = { code: state.code, status: referralStatusLabel(state.status, lang) };
    const text = {
      "not-target": M.refusedNotTarget,
      "not-sender": M.refusedNotSender,
      "not-party": M.refusedNotParty,
      "already-answered": M.refusedAlreadyAnswered,
      "not-accepted": M.refusedNotAccepted,
      finished: M.refusedAlreadyAnswered,
      "reason-missing": M.declineReasonMissing,
    }[refusal];
    return say(lang, text, params);
  }

  /** ✅ on the request accepts it; ❌ asks why, then declines with the answer. */
  async onReaction(reaction: Reaction): Promise<boolean> {
    const record = this.deps.referrals.byNotification(reaction.targetEventId);
    if (!record || record.state.target !== reaction.sender) return false;
    const lang = languageOf(this.deps, reaction.sender);
    const { state, notification } = record;
    let reply: Reply | undefined;
    if (reaction.key === ACCEPT_KEY) reply = await this.applyAs(lang, state, { type: "accept", at: this.now, by: state.target });
    if (reaction.key === DECLINE_KEY) {
      if (state.status === "sent" || state.status === "seen") {
        this.deps.prompts.open(reaction.sender, reaction.roomId, { kind: "decline-reason", referralCode: state.code });
        reply = say(lang, M.askDeclineReason, { code: state.code, sender: this.deps.people.nameOf(state.sender) });
      } else reply = this.refusal(lang, state, "already-answered");
    }
    if (reply) await this.deps.services.messenger.notice(reaction.roomId, reply, `care-reaction:${reaction.eventId}`, notification?.eventId);
    return true;
  }

  async declineWithReason(ctx: BaseContext, code: ReferralCode, reason: string): Promise<Reply> {
    const record = this.deps.referrals.get(code);
    if (!record) return say(ctx.lang, M.unknownReferral, { code });
    this.deps.prompts.close(ctx.sender, ctx.roomId);
    return this.applyAs(ctx.lang, record.state, { type: "decline", at: this.now, by: userId(ctx.sender), reason });
  }

  /** The target read their direct chat after the request arrived. */
  async markSeen(code: ReferralCode): Promise<void> {
    const transition = this.deps.referrals.apply(code, { type: "seen", at: this.now });
    if (transition.effects.length > 0) await this.deps.drain();
  }

  list(ctx: BaseContext): Reply {
    const records = this.deps.referrals.involving(ctx.sender, LIST_LIMIT);
    if (records.length === 0) return say(ctx.lang, M.listEmpty);
    const lines = records.map(({ state }) => {
      const sent = state.sender === ctx.sender;
      const times = state.history.map((h) => localize(TIME_LABELS[h.type], ctx.lang, { date: shortDateTime(h.at) })).join(", ");
      return `• ${localize(sent ? M.listSent : M.listReceived, ctx.lang, {
        code: state.code,
        name: this.deps.people.nameOf(sent ? state.target : state.sender),
        status: referralStatusLabel(state.status, ctx.lang),
        times: times ? ` (${times})` : "",
      })}`;
    });
    return { text: [localize(M.listHeader, ctx.lang), ...lines].join("\n") };
  }

  jobHandlers(): [string, JobHandler][] {
    return [
      [
        REFERRAL_JOB_KIND,
        async (job) => {
          const { referralCode: code } = job.payload as ReferralReminderPayload;
          if (!this.deps.referrals.get(code)) return;
          this.deps.referrals.apply(code, { type: "reminder-due", at: this.now });
          await this.deps.drain();
        },
      ],
    ];
  }
}

const TIME_LABELS = {
  sent: M.timeSent,
  seen: M.timeSeen,
  reminded: M.timeReminded,
  accepted: M.timeAccepted,
  declined: M.timeDeclined,
  done: M.timeDone,
  cancelled: M.timeCancelled,
} as const;
