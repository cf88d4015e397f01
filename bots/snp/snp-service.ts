import { createHash, randomInt } from "node:crypto";
import type { BaseContext, Reply } from "../core/commands/command.ts";
import type { BotServices } from "../core/bot-runtime.ts";
import { type Lang, localize, type Localized } from "../core/i18n/lang.ts";
import type { Reaction } from "../core/intake.ts";
import type { JobHandler } from "../core/scheduler.ts";
import { foldName, type Territory } from "../directory/territory.ts";
import type { CandidateSource } from "./candidate-source.ts";
import {
  type CallbackOutcome,
  type CascadeConfig,
  computeIndicators,
  decideEligibility,
  indicatorsBy,
  indicatorsCsv,
  lookupMode,
  planCascade,
  requestId,
  type RequestId,
  type SnpCareMode,
  type SnpEffect,
  type SnpEvent,
  type SnpRequestSpec,
  type SnpRequestState,
  toPlannedWaves,
  userId,
  type UserId,
} from "./domain/index.ts";
import { SNP_JOB_KINDS, type SnpEffectsExecutor, type SnpJobPayload } from "./effects-executor.ts";
import { SNP_MESSAGES as M } from "./messages.ts";
import * as render from "./render.ts";
import { renderIndicators } from "./render-indicators.ts";
import type { Period } from "../core/time/period.ts";
import type { Availability } from "./store/availability.ts";
import type { RequestMetaStore, SnpSummary } from "./store/request-meta.ts";
import type { SnpStore } from "./store/snp-store.ts";

const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

export const OUTCOME_WORDS: ReadonlyMap<string, CallbackOutcome> = new Map<string, CallbackOutcome>([
  ["garde", "garde"],
  ["116117", "garde"],
  ["15", "samu-15"],
  ["samu", "samu-15"],
  ["mt", "own-gp"],
  ["medecin traitant", "own-gp"],
  ["vu", "seen-by-member"],
  ["pris en charge", "seen-by-member"],
  ["injoignable", "unreachable"],
  ["sans objet", "no-longer-needed"],
  ["plus besoin", "no-longer-needed"],
]);

export interface SnpServiceDeps {
  readonly services: BotServices;
  readonly territory: Territory;
  readonly store: SnpStore;
  readonly meta: RequestMetaStore;
  readonly availability: Availability;
  readonly candidates: CandidateSource;
  readonly executor: SnpEffectsExecutor;
  readonly cascade: CascadeConfig;
  readonly regulators: readonly string[];
  readonly coordinators: readonly string[];
  readonly regulationRoomId: () => string | undefined;
}

/** A refusal or result told to the person who acted, in their language. */
function say(lang: Lang, text: Localized, params?: Record<string, string | number>): Reply {
  return { text: localize(text, lang, params) };
}

/**
 * The SNP use cases, between the commands (and reactions) and the stored lifecycle: opening
 * and dispatching a request, answers, closure, call-backs, the indicators. Every change goes
 * through SnpStore (one transaction, effects to the outbox), then the executor drains.
 */
export class SnpService {
  private readonly deps: SnpServiceDeps;

  constructor(deps: SnpServiceDeps) {
    this.deps = deps;
  }

  private get now(): number {
    return this.deps.services.clock.now();
  }

  isRegulator(user: string): boolean {
    return this.deps.regulators.includes(user);
  }

  isCoordinator(user: string): boolean {
    return this.deps.coordinators.includes(user);
  }

  /** Regulators in the regulation room; verified members in their direct chat with the bot. */
  mayRequest(ctx: BaseContext): boolean {
    if (ctx.roomId === this.deps.regulationRoomId()) return this.isRegulator(ctx.sender);
    const room = this.deps.services.matrix.getRoom(ctx.roomId);
    const isDirect = room !== null && room.getJoinedMemberCount() + room.getInvitedMemberCount() <= 2;
    return isDirect && (this.deps.services.members.isVerified(ctx.sender) || this.isRegulator(ctx.sender));
  }

  /**
   * Opens the request, then dispatches it at once (or redirects it); the reply tells the
   * requester what happened. The request code derives from the message, so a command handled
   * again after a crash finds its request instead of opening a second one.
   */
  async submit(ctx: BaseContext, spec: SnpRequestSpec): Promise<Reply> {
    const requester = userId(ctx.sender);
    const decision = decideEligibility(spec.eligibility);
    const id = this.codeFor(ctx);
    const toRequester = (e: SnpEffect): boolean => e.kind === "tell-requester" && e.to === requester;
    if (!this.deps.store.get(id)) {
      const summary: SnpSummary = {
        professionWord: spec.professionWord,
        communeName: spec.commune.name,
        careDelayHours: spec.careDelayHours,
        modes: spec.modes,
        need: spec.need,
        ageBand: spec.ageBand,
        gp: spec.eligibility.gp,
        criteria: decision.eligible ? decision.criteria : [],
        ...(spec.usualProfessional ? { usualProfessional: spec.usualProfessional } : {}),
      };
      const profession = spec.profession.specialty ? `${spec.profession.profession} (${spec.profession.specialty})` : spec.profession.profession;
      this.deps.store.open(
        { id, requester, profession, eligible: decision.eligible, careDelayHours: spec.careDelayHours, modes: spec.modes },
        { alongside: () => this.deps.meta.insert({ requestId: id, originRoomId: ctx.roomId, summary }), answered: toRequester },
      );
      this.deps.services.logger.info({ requestId: id, eligible: decision.eligible, correlationId: ctx.correlationId }, "SNP request opened");
    }
    if (!decision.eligible) return say(ctx.lang, M.redirected, { code: id, reason: localize(decision.message, ctx.lang) });

    if (this.deps.store.get(id)?.status === "open") {
      const cascade = { profession: spec.profession, commune: spec.commune, ...(spec.usualProfessional ? { usualProfessional: spec.usualProfessional } : {}) };
      const plan = planCascade(this.deps.candidates.candidates(), cascade, this.now, this.deps.cascade);
      this.deps.store.apply(id, { type: "dispatch", at: this.now, waves: toPlannedWaves(plan) }, toRequester);
      this.deps.services.logger.info({ requestId: id, waves: plan.waves.length, excluded: plan.excluded.length }, "SNP request dispatched");
    }
    void this.deps.executor.drain();
    const state = this.deps.store.get(id)!;
    const firstWave = state.waves.find((w) => w.candidates.length > 0);
    if (!firstWave || state.deadlineAt === undefined) return say(ctx.lang, M.dispatchedNobody, { code: id });
    return say(ctx.lang, M.dispatched, { code: id, count: firstWave.candidates.length, deadline: render.parisClock(state.deadlineAt) });
  }

  /** A candidate's answer by command: `!snp accepte CODE [mode]`, `!snp refuse CODE`. */
  respond(ctx: BaseContext, code: string, answer: { accept: true; modeWord?: string } | { accept: false }): Reply {
    const found = this.find(ctx, code);
    if ("reply" in found) return found.reply;
    const { id, state } = found;
    const actor = userId(ctx.sender);
    if (!answer.accept) return (this.applyAs(actor, ctx.lang, id, { type: "decline", at: this.now, by: actor }) ?? say(ctx.lang, M.declinedByYou, { code: id }));
    let mode: SnpCareMode = state.modes[0]!;
    if (answer.modeWord) {
      const named = lookupMode(answer.modeWord);
      if (!named) return say(ctx.lang, M.modeUnknown, { input: answer.modeWord, modes: state.modes.map((m) => render.modeLabel(m, ctx.lang)).join(", ") });
      mode = named;
    }
    return (this.applyAs(actor, ctx.lang, id, { type: "accept", at: this.now, by: actor, mode }) ?? say(ctx.lang, M.acceptedByYou, { code: id, mode: render.modeLabel(mode, ctx.lang) }));
  }

  /** ✅ / ❌ / a mode emoji on a notification; ✋ on an escalation in the regulation room. */
  async onReaction(reaction: Reaction): Promise<void> {
    const lang = this.languageOf(reaction.sender);
    const notification = this.deps.meta.notificationByEvent(reaction.targetEventId);
    if (notification && notification.userId === reaction.sender) {
      const state = this.deps.store.get(notification.requestId);
      if (!state) return;
      const mode = reaction.key === render.ACCEPT_KEY ? state.modes[0] : (Object.entries(render.MODE_KEYS).find(([, key]) => key === reaction.key)?.[0] as SnpCareMode | undefined);
      const actor = notification.userId;
      let confirmation: Reply | undefined;
      if (reaction.key === render.DECLINE_KEY) {
        confirmation = this.applyAs(actor, lang, state.id, { type: "decline", at: this.now, by: actor }) ?? say(lang, M.declinedByYou, { code: state.id });
      } else if (mode) {
        const refusal = this.applyAs(actor, lang, state.id, { type: "accept", at: this.now, by: actor, mode });
        const winner = this.deps.store.get(state.id)?.acceptedBy;
        // Too late: the notification reacted to is edited to say who took it; a reply would say it twice.
        if (refusal && winner !== undefined && winner !== actor) return;
        confirmation = refusal ?? say(lang, M.acceptedByYou, { code: state.id, mode: render.modeLabel(mode, lang) });
      }
      if (confirmation) await this.deps.services.messenger.notice(notification.roomId, confirmation, `snp-reaction:${reaction.eventId}`, notification.eventId);
      return;
    }
    if (reaction.key === render.CLAIM_KEY && reaction.roomId === this.deps.regulationRoomId()) {
      const meta = this.deps.meta.byEscalationEvent(reaction.targetEventId);
      if (!meta || !this.isRegulator(reaction.sender)) return;
      const actor = userId(reaction.sender);
      // The claim is announced to the room by the lifecycle's effect; only a refusal needs telling.
      const reply = this.applyAs(actor, lang, meta.requestId, { type: "claim-callback", at: this.now, by: actor });
      if (reply) await this.deps.services.messenger.notice(reaction.roomId, reply, `snp-reaction:${reaction.eventId}`, reaction.targetEventId);
    }
  }

  close(ctx: BaseContext, code: string, outcome: { done: true } | { done: false; reason: string }): Reply {
    const found = this.find(ctx, code);
    if ("reply" in found) return found.reply;
    const actor = userId(ctx.sender);
    const event: SnpEvent = outcome.done ? { type: "done", at: this.now, by: actor } : { type: "not-done", at: this.now, by: actor, reason: outcome.reason };
    const ok = outcome.done ? say(ctx.lang, M.doneAck, { code: found.id }) : say(ctx.lang, M.notDoneAck, { code: found.id, reason: outcome.reason });
    return this.applyAs(actor, ctx.lang, found.id, event) ?? ok;
  }

  cancel(ctx: BaseContext, code: string, reason?: string): Reply {
    const found = this.find(ctx, code);
    if ("reply" in found) return found.reply;
    if (found.state.requester !== ctx.sender && !this.isRegulator(ctx.sender)) return say(ctx.lang, M.notRequester, { code: found.id });
    const actor = userId(ctx.sender);
    return (this.applyAs(actor, ctx.lang, found.id, { type: "cancel", at: this.now, by: actor, ...(reason ? { reason } : {}) }) ?? say(ctx.lang, M.cancelAck, { code: found.id }));
  }

  claim(ctx: BaseContext, code: string): Reply {
    if (!this.isRegulator(ctx.sender)) return say(ctx.lang, M.regulatorsOnly);
    const found = this.find(ctx, code);
    if ("reply" in found) return found.reply;
    const actor = userId(ctx.sender);
    return (this.applyAs(actor, ctx.lang, found.id, { type: "claim-callback", at: this.now, by: actor }) ?? say(ctx.lang, M.claimAck, { code: found.id }));
  }

  closeCallback(ctx: BaseContext, code: string, outcomeWords: string): Reply {
    if (!this.isRegulator(ctx.sender)) return say(ctx.lang, M.regulatorsOnly);
    const found = this.find(ctx, code);
    if ("reply" in found) return found.reply;
    const outcome = OUTCOME_WORDS.get(foldName(outcomeWords));
    if (!outcome) return say(ctx.lang, M.outcomeUnknown, { input: outcomeWords });
    const actor = userId(ctx.sender);
    return (this.applyAs(actor, ctx.lang, found.id, { type: "close-callback", at: this.now, by: actor, outcome }) ?? say(ctx.lang, M.callbackClosed, { code: found.id, outcome: localize(render.outcomeLabel(outcome), ctx.lang) }));
  }

  list(ctx: BaseContext): Reply {
    const active = this.deps.store.active();
    if (active.length === 0) return say(ctx.lang, M.listEmpty);
    const mine = this.isRegulator(ctx.sender) || this.isCoordinator(ctx.sender) ? active : active.filter((s) => s.requester === ctx.sender || s.acceptedBy === ctx.sender);
    if (mine.length === 0) return say(ctx.lang, M.listEmpty);
    return { text: [localize(M.listHeader, ctx.lang), ...mine.map((s) => render.requestLine(s, this.deps.meta.get(s.id)?.summary, ctx.lang))].join("\n") };
  }

  stats(ctx: BaseContext, period: Period): Reply {
    const records = this.deps.store.createdBetween(period.from, period.to);
    return renderIndicators(computeIndicators(records), indicatorsBy(records, "profession"), period, ctx.lang);
  }

  async export(ctx: BaseContext, period: Period): Promise<Reply> {
    const records = this.deps.store.createdBetween(period.from, period.to);
    const encoder = new TextEncoder();
    for (const by of ["week", "profession"] as const) {
      const name = `snp-indicateurs-${by === "week" ? "semaines" : "professions"}-${period.label}.csv`;
      // A byte-order mark so that spreadsheet software reads the accents as UTF-8.
      await this.deps.services.messenger.file(ctx.roomId, { name, mimetype: "text/csv", data: encoder.encode(`\uFEFF${indicatorsCsv(records, by)}`) });
    }
    return say(ctx.lang, { fr: "Indicateurs SNP du {label} : {count} demande(s), deux fichiers CSV ci-dessus (par semaine, par profession).", en: "SNP indicators for {label}: {count} request(s), two CSV files above (by week, by profession)." }, {
      label: period.label.replace("_", " → "),
      count: records.length,
    });
  }

  jobHandlers(): ReadonlyMap<string, JobHandler> {
    const handle = (event: (payload: SnpJobPayload, at: number) => SnpEvent | undefined): JobHandler => async (job) => {
      const payload = job.payload as SnpJobPayload;
      const state = this.deps.store.get(payload.requestId);
      const built = state && event(payload, this.now);
      if (!built) return;
      this.deps.store.apply(payload.requestId, built);
      await this.deps.executor.drain();
    };
    return new Map([
      [SNP_JOB_KINDS["wave-timeout"], handle((p, at) => ({ type: "wave-timeout", at, wave: p.wave ?? 0, skip: this.unreachableInLaterWaves(p.requestId) }))],
      [SNP_JOB_KINDS.reminder, handle((_p, at) => ({ type: "reminder-due", at }))],
      [SNP_JOB_KINDS.deadline, handle((_p, at) => ({ type: "deadline", at }))],
    ]);
  }

  private unreachableInLaterWaves(id: RequestId): UserId[] {
    const state = this.deps.store.get(id);
    if (!state) return [];
    return state.waves.slice(state.currentWave + 1).flatMap((w) => w.candidates.filter((u) => !this.deps.candidates.stillReachable(u)));
  }

  /** Applies an event for `actor`; returns their refusal, told in the reply rather than by message (so is their own requester news). */
  private applyAs(actor: UserId, lang: Lang, id: RequestId, event: SnpEvent): Reply | undefined {
    const mine = (e: SnpEffect): boolean => (e.kind === "refuse" || e.kind === "tell-requester") && e.to === actor;
    const transition = this.deps.store.apply(id, event, mine);
    void this.deps.executor.drain();
    const refusal = transition.effects.find((e) => e.kind === "refuse" && e.to === actor);
    if (refusal?.kind === "refuse") return render.refusal(id, refusal.reason, refusal.holder ? this.deps.candidates.displayName(refusal.holder) : "", transition.state.modes, lang);
    return undefined;
  }

  private find(ctx: BaseContext, code: string): { reply: Reply } | { id: RequestId; state: SnpRequestState } {
    const id = normaliseCode(code);
    const state = id ? this.deps.store.get(id) : undefined;
    if (!id || !state) return { reply: say(ctx.lang, M.unknownRequest, { code }) };
    return { id, state };
  }

  private languageOf(user: string): Lang {
    return this.deps.services.preferences.language(user) ?? this.deps.services.defaultLanguage;
  }

  private codeFor(ctx: BaseContext): RequestId {
    if (ctx.eventId !== undefined) {
      const digest = createHash("sha256").update(`snp\0${ctx.eventId}`).digest();
      const code = requestId(`SNP-${Array.from(digest.subarray(0, 4), (byte) => CODE_ALPHABET[byte % CODE_ALPHABET.length]).join("")}`);
      const taken = this.deps.store.get(code);
      if (!taken || (taken.requester === ctx.sender && this.deps.meta.get(code)?.originRoomId === ctx.roomId)) return code;
    }
    for (;;) {
      const code = requestId(`SNP-${Array.from({ length: 4 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("")}`);
      if (!this.deps.store.get(code)) return code;
    }
  }
}

/** "snp-4f7k", "4F7K", "SNP 4F7K" → "SNP-4F7K". */
export function normaliseCode(input: string): RequestId | undefined {
  const match = /^(?:snp[-\s]?)?([a-z0-9]{4})$/i.exec(input.trim());
  return match ? requestId(`SNP-${match[1]!.toUpperCase()}`) : undefined;
}
