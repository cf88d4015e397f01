// A referral (adressage): a professional asks another to take a patient, with a reason.
// Sent → seen → accepted or declined (with a reason) → done; cancelled by the sender while
// unanswered; one reminder to the target after a delay. Every step is timestamped. Pure.
import type { CaseCode, ReferralCode, UserId } from "./ids.ts";

export type ReferralStatus = "sent" | "seen" | "accepted" | "declined" | "done" | "cancelled";

export interface ReferralHistoryEntry {
  readonly at: number;
  readonly type: "sent" | "seen" | "reminded" | "accepted" | "declined" | "done" | "cancelled";
  readonly by?: UserId;
}

export interface ReferralState {
  readonly code: ReferralCode;
  readonly sender: UserId;
  readonly target: UserId;
  /** The case room it was sent from; the target joins it on acceptance. Without one, a case is opened. */
  readonly caseCode?: CaseCode;
  readonly status: ReferralStatus;
  readonly createdAt: number;
  readonly seenAt?: number;
  readonly remindedAt?: number;
  readonly acceptedAt?: number;
  readonly declinedAt?: number;
  readonly declineReason?: string;
  readonly doneAt?: number;
  readonly cancelledAt?: number;
  readonly history: readonly ReferralHistoryEntry[];
}

export type SenderNews = "seen" | "accepted" | "declined" | "done" | "reminded";

export type ReferralEffect =
  | { readonly kind: "notify-target" }
  | { readonly kind: "schedule-reminder"; readonly at: number }
  | { readonly kind: "remind-target" }
  | { readonly kind: "tell-sender"; readonly news: SenderNews }
  | { readonly kind: "tell-target"; readonly news: "done" | "cancelled" }
  /** Into the case room the referral came from, or a case opened for the two of them. */
  | { readonly kind: "bring-target-to-case" };

export type ReferralRefusal = "not-target" | "not-sender" | "not-party" | "already-answered" | "not-accepted" | "finished" | "reason-missing";

export interface ReferralTransition {
  readonly state: ReferralState;
  readonly effects: readonly ReferralEffect[];
  readonly refusal?: ReferralRefusal;
}

/** The reason the sender wrote is not part of the state: the adapter hands it to the target once, encrypted, then forgets it. */
export type NewReferral = Pick<ReferralState, "code" | "sender" | "target" | "caseCode">;

export function sendReferral(input: NewReferral, at: number, reminderAfterMs: number): ReferralTransition {
  const state: ReferralState = {
    code: input.code,
    sender: input.sender,
    target: input.target,
    ...(input.caseCode ? { caseCode: input.caseCode } : {}),
    status: "sent",
    createdAt: at,
    history: [{ at, type: "sent", by: input.sender }],
  };
  return { state, effects: [{ kind: "notify-target" }, { kind: "schedule-reminder", at: at + reminderAfterMs }] };
}

export type ReferralEvent =
  | { readonly type: "seen"; readonly at: number }
  | { readonly type: "accept"; readonly at: number; readonly by: UserId }
  | { readonly type: "decline"; readonly at: number; readonly by: UserId; readonly reason: string }
  | { readonly type: "done"; readonly at: number; readonly by: UserId }
  | { readonly type: "cancel"; readonly at: number; readonly by: UserId }
  | { readonly type: "reminder-due"; readonly at: number };

const UNANSWERED = new Set<ReferralStatus>(["sent", "seen"]);

export function applyReferralEvent(state: ReferralState, event: ReferralEvent): ReferralTransition {
  const refuse = (refusal: ReferralRefusal): ReferralTransition => ({ state, effects: [], refusal });
  const unchanged: ReferralTransition = { state, effects: [] };
  const log = (type: ReferralHistoryEntry["type"], by?: UserId): readonly ReferralHistoryEntry[] => [...state.history, { at: event.at, type, ...(by ? { by } : {}) }];
  switch (event.type) {
    case "seen":
      if (state.status !== "sent") return unchanged;
      return { state: { ...state, status: "seen", seenAt: event.at, history: log("seen", state.target) }, effects: [{ kind: "tell-sender", news: "seen" }] };
    case "accept":
      if (event.by !== state.target) return refuse("not-target");
      if (!UNANSWERED.has(state.status)) return refuse("already-answered");
      return {
        state: { ...state, status: "accepted", seenAt: state.seenAt ?? event.at, acceptedAt: event.at, history: log("accepted", event.by) },
        effects: [{ kind: "bring-target-to-case" }, { kind: "tell-sender", news: "accepted" }],
      };
    case "decline": {
      if (event.by !== state.target) return refuse("not-target");
      if (!UNANSWERED.has(state.status)) return refuse("already-answered");
      const reason = event.reason.replace(/\s+/g, " ").trim();
      if (reason === "") return refuse("reason-missing");
      return {
        state: { ...state, status: "declined", seenAt: state.seenAt ?? event.at, declinedAt: event.at, declineReason: reason, history: log("declined", event.by) },
        effects: [{ kind: "tell-sender", news: "declined" }],
      };
    }
    case "done":
      if (event.by !== state.target && event.by !== state.sender) return refuse("not-party");
      if (state.status !== "accepted") return refuse("not-accepted");
      return {
        state: { ...state, status: "done", doneAt: event.at, history: log("done", event.by) },
        effects: [event.by === state.target ? { kind: "tell-sender", news: "done" } : { kind: "tell-target", news: "done" }],
      };
    case "cancel":
      if (event.by !== state.sender) return refuse("not-sender");
      if (!UNANSWERED.has(state.status)) return refuse("already-answered");
      return { state: { ...state, status: "cancelled", cancelledAt: event.at, history: log("cancelled", event.by) }, effects: [{ kind: "tell-target", news: "cancelled" }] };
    case "reminder-due":
      if (!UNANSWERED.has(state.status) || state.remindedAt !== undefined) return unchanged;
      return { state: { ...state, remindedAt: event.at, history: log("reminded") }, effects: [{ kind: "remind-target" }, { kind: "tell-sender", news: "reminded" }] };
  }
}
