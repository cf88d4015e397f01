// The data of a request's life: its state, the events that move it, and the effects a
// transition asks the adapter to carry out (send, edit, create a room, schedule a job).
import type { Redirection } from "./eligibility.ts";
import type { RequestId, UserId } from "./ids.ts";
import type { SnpCareMode } from "./request.ts";

export type SnpStatus =
  | "open"
  | "redirected"
  | "dispatching"
  | "reminded"
  | "accepted"
  | "done"
  | "not-done"
  | "escalated"
  | "callback-claimed"
  | "closed"
  | "cancelled";

export interface LifecycleConfig {
  /** Time the candidates have to answer, from dispatch (2 h in the reference process). */
  readonly responseDeadlineMs: number;
  /** When the single reminder goes out, from dispatch; must come before the deadline. */
  readonly reminderAfterMs: number;
}

export const DEFAULT_LIFECYCLE: LifecycleConfig = { responseDeadlineMs: 2 * 3_600_000, reminderAfterMs: 3_600_000 };

/** A wave as the lifecycle needs it: who, and how long before the next one. */
export interface PlannedWave {
  readonly candidates: readonly UserId[];
  readonly durationMs: number;
}

export type EscalationReason = "deadline" | "all-declined" | "no-candidate";
export type CallbackOutcome = "garde" | "samu-15" | "own-gp" | "seen-by-member" | "unreachable" | "no-longer-needed";

export interface HistoryEntry {
  readonly at: number;
  readonly type: string;
  readonly by?: UserId;
  readonly wave?: number;
  readonly detail?: string;
}

export interface SnpRequestState {
  readonly id: RequestId;
  readonly requester: UserId;
  /** The profession asked for, as a folded national label ("infirmier"): the indicators group by it. */
  readonly profession: string;
  readonly eligible: boolean;
  readonly careDelayHours: number;
  readonly modes: readonly SnpCareMode[];
  readonly status: SnpStatus;
  readonly createdAt: number;
  readonly dispatchedAt?: number;
  readonly deadlineAt?: number;
  readonly waves: readonly PlannedWave[];
  /** Index of the last wave notified; -1 before dispatch. */
  readonly currentWave: number;
  readonly notified: readonly UserId[];
  readonly declined: readonly UserId[];
  readonly remindedAt?: number;
  readonly acceptedBy?: UserId;
  readonly acceptedMode?: SnpCareMode;
  readonly acceptedAt?: number;
  readonly doneAt?: number;
  readonly notDoneAt?: number;
  readonly notDoneReason?: string;
  readonly escalatedAt?: number;
  readonly escalationReason?: EscalationReason;
  readonly claimedBy?: UserId;
  readonly claimedAt?: number;
  readonly outcome?: CallbackOutcome;
  readonly closedAt?: number;
  readonly cancelledAt?: number;
  readonly history: readonly HistoryEntry[];
}

export type SnpEvent =
  | { readonly type: "dispatch"; readonly at: number; readonly waves: readonly PlannedWave[] }
  /** `skip`: candidates of the next waves who left the CPTS or became unavailable meanwhile. */
  | { readonly type: "wave-timeout"; readonly at: number; readonly wave: number; readonly skip?: readonly UserId[] }
  | { readonly type: "reminder-due"; readonly at: number }
  | { readonly type: "deadline"; readonly at: number }
  | { readonly type: "accept"; readonly at: number; readonly by: UserId; readonly mode: SnpCareMode }
  | { readonly type: "decline"; readonly at: number; readonly by: UserId }
  | { readonly type: "claim-callback"; readonly at: number; readonly by: UserId }
  | { readonly type: "close-callback"; readonly at: number; readonly by: UserId; readonly outcome: CallbackOutcome }
  | { readonly type: "done"; readonly at: number; readonly by: UserId }
  | { readonly type: "not-done"; readonly at: number; readonly by: UserId; readonly reason: string }
  | { readonly type: "cancel"; readonly at: number; readonly by: UserId; readonly reason?: string };

export type RequesterNews = "redirected" | "accepted" | "escalated" | "callback-claimed" | "closed" | "done" | "not-done" | "cancelled";
export type RefusalReason =
  | "already-taken"
  | "not-a-candidate"
  | "mode-not-offered"
  | "escalated"
  | "not-active"
  | "already-claimed"
  | "not-the-acceptor"
  | "not-the-claimer";

export type SnpEffect =
  | { readonly kind: "notify-candidates"; readonly wave: number; readonly to: readonly UserId[] }
  | { readonly kind: "send-reminder"; readonly to: readonly UserId[] }
  /** Edit the other candidates' notifications to "taken by Dr X". */
  | { readonly kind: "mark-taken"; readonly to: readonly UserId[]; readonly acceptor: UserId }
  /** Edit the candidates' notifications: the request left their hands (escalated or cancelled). */
  | { readonly kind: "mark-closed"; readonly to: readonly UserId[]; readonly why: "escalated" | "cancelled" }
  | { readonly kind: "tell-requester"; readonly to: UserId; readonly news: RequesterNews; readonly by?: UserId; readonly mode?: SnpCareMode }
  | { readonly kind: "create-case-room"; readonly members: readonly UserId[] }
  /** Post to the regulation room, with the history, the fallback to recommend and a "call the patient back" task. */
  | {
      readonly kind: "escalate";
      readonly reason: EscalationReason;
      readonly fallback: readonly Redirection[];
      readonly history: readonly HistoryEntry[];
    }
  | { readonly kind: "callback-claimed"; readonly by: UserId }
  | { readonly kind: "schedule"; readonly job: "wave-timeout" | "reminder" | "deadline"; readonly at: number; readonly wave?: number }
  /** The event is refused and the state unchanged; tell the person why. */
  | { readonly kind: "refuse"; readonly to: UserId; readonly reason: RefusalReason; readonly holder?: UserId };

export interface Transition {
  readonly state: SnpRequestState;
  readonly effects: readonly SnpEffect[];
}
