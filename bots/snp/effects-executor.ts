import type { Reply } from "../core/commands/command.ts";
import type { Clock } from "../core/clock.ts";
import { type Lang, localize } from "../core/i18n/lang.ts";
import type { Logger } from "../core/logger.ts";
import type { Messenger } from "../core/matrix/messenger.ts";
import { EffectsExecutor } from "../core/outbox/effects-executor.ts";
import type { PendingEffect } from "../core/outbox/outbox.ts";
import type { JobQueue } from "../core/store/job-queue.ts";
import type { RequestId, SnpEffect, SnpRequestState, UserId } from "./domain/index.ts";
import { SNP_MESSAGES as M } from "./messages.ts";
import * as render from "./render.ts";
import type { SnpRooms } from "./snp-rooms.ts";
import type { RequestMeta, RequestMetaStore } from "./store/request-meta.ts";
import type { SnpStore } from "./store/snp-store.ts";

export const SNP_JOB_KINDS = { "wave-timeout": "snp-wave-timeout", reminder: "snp-reminder", deadline: "snp-deadline" } as const;

export interface SnpJobPayload {
  readonly requestId: RequestId;
  readonly wave?: number;
}

export interface EffectsDeps {
  readonly store: SnpStore;
  readonly meta: RequestMetaStore;
  readonly messenger: Messenger;
  readonly rooms: SnpRooms;
  readonly jobs: JobQueue;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly languageOf: (userId: string) => Lang;
  readonly defaultLanguage: Lang;
  readonly nameOf: (userId: string) => string;
  /** Still a member and available: a candidate of a later wave who is not is skipped. */
  readonly stillReachable: (userId: string) => boolean;
  readonly regulationRoom: () => Promise<string>;
  /** Requests whose effects run at the same time. */
  readonly concurrency?: number;
}

/**
 * Carries out the effects the lifecycle wrote to the outbox (see EffectsExecutor): several
 * requests at a time, each request's effects in order. Every message is sent with an
 * idempotency key made of the effect id (and the recipient), so an effect interrupted by a
 * crash and run again after the restart sends nothing twice.
 */
export class SnpEffectsExecutor {
  private readonly deps: EffectsDeps;
  private readonly executor: EffectsExecutor<SnpEffect>;

  constructor(deps: EffectsDeps) {
    this.deps = deps;
    this.executor = new EffectsExecutor(deps.store.outbox, (pending, key) => this.run(pending, key), {
      name: "SNP",
      keyPrefix: "snp-effect",
      logger: deps.logger,
      ...(deps.concurrency !== undefined ? { concurrency: deps.concurrency } : {}),
    });
  }

  /** Runs the pending effects; concurrent calls share one run, and what they wrote is taken along. */
  drain(): Promise<void> {
    return this.executor.drain();
  }

  stop(): void {
    this.executor.stop();
  }

  private async run({ subject, effect }: PendingEffect<SnpEffect>, key: (suffix?: string) => string): Promise<void> {
    const requestId = subject as RequestId;
    const state = this.deps.store.get(requestId);
    const meta = this.deps.meta.get(requestId);
    if (!state || !meta) throw new Error(`SNP request ${requestId} has no state or summary`);
    const code = requestId;
    switch (effect.kind) {
      case "notify-candidates": {
        const toNotify = effect.to.filter((userId) => {
          if (this.deps.meta.notification(requestId, userId)) return false;
          if (this.deps.stillReachable(userId)) return true;
          this.deps.logger.info({ requestId, userId }, "SNP candidate no longer reachable (left the CPTS or unavailable): skipped");
          return false;
        });
        const deadlineAt = state.deadlineAt ?? this.deps.clock.now();
        return this.deps.messenger.directMany(
          toNotify,
          (userId) => ({
            reply: render.candidateNotification(code, meta.summary, deadlineAt, meta.summary.usualProfessional === userId, this.deps.languageOf(userId)),
            idempotencyKey: key(userId),
          }),
          (userId, sent) => this.deps.meta.recordNotification({ requestId, userId, roomId: sent.roomId, eventId: sent.eventId }, this.deps.clock.now()),
        );
      }
      case "send-reminder":
        return this.toEachNotified(requestId, effect.to, (n, lang) => this.deps.messenger.notice(n.roomId, render.reminder(code, state.deadlineAt ?? 0, lang), key(n.userId), n.eventId));
      case "mark-taken": {
        const name = this.deps.nameOf(effect.acceptor);
        return this.toEachNotified(requestId, effect.to, (n, lang) => this.deps.messenger.edit(n.roomId, n.eventId, render.takenBy(code, name, lang), key(n.userId)));
      }
      case "mark-closed":
        return this.toEachNotified(requestId, effect.to, (n, lang) => this.deps.messenger.edit(n.roomId, n.eventId, render.closedFor(code, effect.why, lang), key(n.userId)));
      case "tell-requester": {
        const reply = this.requesterNews(state, effect, this.deps.languageOf(effect.to));
        await this.deps.messenger.notice(meta.originRoomId, reply, key());
        return;
      }
      case "create-case-room":
        return this.createCaseRoom(state, meta, key());
      case "escalate": {
        const roomId = await this.deps.regulationRoom();
        const reply = render.escalation(code, meta.summary, effect.reason, effect.fallback, effect.history, this.deps.nameOf, this.deps.defaultLanguage);
        const eventId = await this.deps.messenger.notice(roomId, reply, key());
        this.deps.meta.setEscalationEvent(requestId, eventId);
        return;
      }
      case "callback-claimed": {
        const roomId = await this.deps.regulationRoom();
        const reply = { text: localize(M.callbackClaimed, this.deps.defaultLanguage, { code, name: this.deps.nameOf(effect.by) }) };
        await this.deps.messenger.notice(roomId, reply, key(), meta.escalationEventId);
        return;
      }
      case "schedule":
        this.deps.jobs.schedule({
          kind: SNP_JOB_KINDS[effect.job],
          dueAt: effect.at,
          payload: { requestId, ...(effect.wave !== undefined ? { wave: effect.wave } : {}) } satisfies SnpJobPayload,
          dedupeKey: `snp:${requestId}:${effect.job}:${effect.wave ?? ""}`,
        });
        return;
      case "refuse": {
        const lang = this.deps.languageOf(effect.to);
        const reply = render.refusal(code, effect.reason, effect.holder ? this.deps.nameOf(effect.holder) : "", state.modes, lang);
        const n = this.deps.meta.notification(requestId, effect.to);
        if (n) await this.deps.messenger.notice(n.roomId, reply, key(), n.eventId);
        else await this.deps.messenger.direct(effect.to, reply, key());
        return;
      }
    }
  }

  private async toEachNotified(
    requestId: RequestId,
    to: readonly UserId[],
    send: (n: { roomId: string; eventId: string; userId: UserId }, lang: Lang) => Promise<unknown>,
  ): Promise<void> {
    for (const userId of to) {
      const n = this.deps.meta.notification(requestId, userId);
      if (n) await send(n, this.deps.languageOf(userId));
    }
  }

  requesterNews(state: SnpRequestState, effect: Extract<SnpEffect, { kind: "tell-requester" }>, lang: Lang): Reply {
    const name = effect.by ? this.deps.nameOf(effect.by) : "";
    switch (effect.news) {
      case "accepted":
        return render.requesterNews(state.id, { news: "accepted", name, mode: effect.mode ?? state.acceptedMode ?? state.modes[0]! }, lang);
      case "callback-claimed":
      case "done":
        return render.requesterNews(state.id, { news: effect.news, name }, lang);
      case "not-done":
        return render.requesterNews(state.id, { news: "not-done", name, reason: state.notDoneReason ?? "" }, lang);
      case "closed":
        return render.requesterNews(state.id, { news: "closed", outcome: state.outcome ?? "no-longer-needed" }, lang);
      case "escalated":
      case "cancelled":
        return render.requesterNews(state.id, { news: effect.news }, lang);
      case "redirected":
        return { text: localize(M.redirected, lang, { code: state.id, reason: "" }) };
    }
  }

  private async createCaseRoom(state: SnpRequestState, meta: RequestMeta, key: string): Promise<void> {
    if (!state.acceptedBy) throw new Error(`SNP request ${state.id} has no acceptor`);
    const lang = this.deps.defaultLanguage;
    const roomId = await this.deps.rooms.ensureCaseRoom(state.id, localize(M.caseRoomName, lang, { code: state.id }), [state.requester, state.acceptedBy]);
    this.deps.meta.setCaseRoom(state.id, roomId);
    await this.deps.messenger.waitUntilMembers(roomId, [state.requester, state.acceptedBy]);
    const intro = render.caseRoomIntro(
      state.id,
      meta.summary,
      {
        requester: this.deps.nameOf(state.requester),
        requesterName: this.deps.nameOf(state.requester),
        acceptor: this.deps.nameOf(state.acceptedBy),
        mode: state.acceptedMode ?? state.modes[0]!,
      },
      lang,
    );
    await this.deps.messenger.notice(roomId, intro, key);
  }
}
