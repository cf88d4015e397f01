import { localize, type Lang } from "../../core/i18n/lang.ts";
import { codeFor, type CareDeps, languageOf } from "../care-context.ts";
import { roomNameOf } from "../case-service.ts";
import { caseLabel } from "../domain/care-case.ts";
import { caseCode, referralCode, type CaseCode, type ReferralCode } from "../domain/ids.ts";
import { shortDateTime } from "../../core/time/paris-time.ts";
import type { ReferralEffect, ReferralState, SenderNews } from "../domain/referral.ts";
import { REFERRAL_MESSAGES as M } from "../messages/referral-messages.ts";
import { REFERRAL_JOB_KIND, type ReferralReminderPayload } from "../referral-service.ts";
import type { ReferralRecord } from "../store/referral-store.ts";
import type { EffectRunner } from "./effects-executor.ts";

type Deps = Omit<CareDeps, "drain">;

const SENDER_NEWS: Readonly<Record<SenderNews, (typeof M)[keyof typeof M]>> = {
  seen: M.newsSeen,
  accepted: M.newsAccepted,
  declined: M.newsDeclined,
  done: M.newsDone,
  reminded: M.newsReminded,
};

/** The moment a step happened, from the referral's history (what the sender reads). */
function timeOf(state: ReferralState, type: string): number {
  return [...state.history].reverse().find((h) => h.type === type)?.at ?? state.createdAt;
}

export function referralRunner(deps: Deps): EffectRunner {
  const shared = deps.services.defaultLanguage;

  const summaryFor = (record: ReferralRecord, lang: Lang): string => {
    const code = record.state.caseCode;
    const fromCase = code ? deps.cases.get(code) : undefined;
    if (!fromCase) return localize(M.summaryDirect, lang);
    const team = deps.cases.members(fromCase.state.code).map((m) => deps.people.describe(m.userId));
    return localize(M.summaryFromCase, lang, { label: caseLabel(fromCase.state.code, fromCase.state.theme), team: team.join(", ") });
  };

  /** The case the target joins: the one it was sent from, or one opened for the two of them (once). */
  const bringToCase = async (record: ReferralRecord, key: (suffix?: string) => string): Promise<void> => {
    const { state } = record;
    if (state.caseCode) {
      const fromCase = deps.cases.get(state.caseCode);
      if (!fromCase?.roomId) throw new Error(`case ${state.caseCode} has no room`);
      if (fromCase.state.status !== "open") {
        const text = localize(M.newsCaseClosed, languageOf(deps, state.sender), { code: state.code, name: deps.people.nameOf(state.target), case: fromCase.state.code });
        await deps.services.messenger.notice(record.originRoomId, { text }, key());
        return;
      }
      await deps.rooms.invite(fromCase.roomId, state.target);
      deps.cases.addMember(fromCase.state.code, state.target, "member", state.sender);
      deps.referrals.setCase(state.code, fromCase.state.code);
      const text = localize(M.joinedTeam, shared, { name: deps.people.describe(state.target), code: state.code, sender: deps.people.nameOf(state.sender) });
      await deps.services.messenger.notice(fromCase.roomId, { text }, key());
      return;
    }
    const opening = `referral:${state.code}`;
    const existing = deps.cases.byOpeningEvent(opening);
    if (existing) {
      deps.referrals.setCase(state.code, existing.state.code);
      return;
    }
    const code = caseCode(codeFor("case", opening, (c) => deps.cases.get(caseCode(c)) !== undefined));
    const profession = deps.people.professionOf(state.target) ?? "";
    const theme = localize(M.referralCaseTheme, shared, { profession }).trim();
    // Its room, invitations and the request for the fiche de liaison are the new case's own effects.
    deps.cases.open({ code, theme, createdBy: state.sender, members: [state.target], fromReferral: state.code }, opening, () => deps.referrals.setCase(state.code, code));
  };

  const caseRoomSuffix = (code: CaseCode | undefined): string => {
    const record = code ? deps.cases.get(code) : undefined;
    return record ? ` (« ${roomNameOf(record.state.code, record.state.theme, shared)} »)` : "";
  };

  return async (key, raw, idempotency) => {
    const code: ReferralCode = referralCode(key);
    const effect = raw as ReferralEffect;
    const record = deps.referrals.get(code);
    if (!record) throw new Error(`referral ${code} not found`);
    const { state } = record;
    switch (effect.kind) {
      case "notify-target": {
        if (record.notification) return;
        const lang = languageOf(deps, state.target);
        const text = localize(M.notification, lang, {
          code,
          sender: deps.people.describe(state.sender),
          reason: record.reason ?? "",
          summary: summaryFor(record, lang),
          join: state.caseCode ? localize(M.joinCase, lang) : "",
        });
        const sent = await deps.services.messenger.direct(state.target, { text }, idempotency());
        deps.referrals.notified(code, sent.roomId, sent.eventId);
        return;
      }
      case "schedule-reminder":
        deps.services.jobs.schedule({ kind: REFERRAL_JOB_KIND, dueAt: effect.at, payload: { referralCode: code } satisfies ReferralReminderPayload, dedupeKey: `care:referral:${code}:reminder` });
        return;
      case "remind-target": {
        if (!record.notification) throw new Error(`referral ${code} was not delivered yet`);
        const text = localize(M.reminder, languageOf(deps, state.target), { code, sender: deps.people.nameOf(state.sender) });
        await deps.services.messenger.notice(record.notification.roomId, { text }, idempotency(), record.notification.eventId);
        return;
      }
      case "tell-sender": {
        const lang = languageOf(deps, state.sender);
        const at = timeOf(state, effect.news);
        const text = localize(SENDER_NEWS[effect.news], lang, {
          code,
          name: deps.people.nameOf(state.target),
          date: shortDateTime(at),
          reason: state.declineReason ?? "",
          room: caseRoomSuffix(record.caseCode),
        });
        await deps.services.messenger.notice(record.originRoomId, { text }, idempotency());
        return;
      }
      case "tell-target": {
        if (!record.notification) return;
        const lang = languageOf(deps, state.target);
        const text = localize(effect.news === "done" ? M.targetNewsDone : M.targetNewsCancelled, lang, { code, name: deps.people.nameOf(state.sender), date: shortDateTime(timeOf(state, effect.news === "done" ? "done" : "cancelled")) });
        await deps.services.messenger.notice(record.notification.roomId, { text }, idempotency(), record.notification.eventId);
        return;
      }
      case "bring-target-to-case":
        return bringToCase(record, idempotency);
    }
  };
}
