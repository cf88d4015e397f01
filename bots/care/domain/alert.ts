// An alert to a case's whole team ("the patient is in distress"): raised, acknowledged by
// the first member who reacts, reminded while nobody does. Pure.
import type { CaseCode, UserId } from "./ids.ts";

export interface AlertConfig {
  /** Time without acknowledgement before a reminder, and between reminders. */
  readonly reminderAfterMs: number;
  /** Reminders at most; then the alert waits for an acknowledgement without more noise. */
  readonly maxReminders: number;
}

export type AlertStatus = "raised" | "acknowledged" | "cancelled";

export interface AlertState {
  readonly id: number;
  readonly caseCode: CaseCode;
  readonly raisedBy: UserId;
  readonly raisedAt: number;
  readonly status: AlertStatus;
  readonly reminders: number;
  readonly acknowledgedBy?: UserId;
  readonly acknowledgedAt?: number;
}

export type AlertEffect =
  | { readonly kind: "post-alert" }
  | { readonly kind: "post-acknowledgement"; readonly by: UserId }
  | { readonly kind: "post-reminder"; readonly reminder: number }
  | { readonly kind: "schedule-reminder"; readonly at: number; readonly reminder: number };

export interface AlertTransition {
  readonly state: AlertState;
  readonly effects: readonly AlertEffect[];
}

export function raiseAlert(input: { id: number; caseCode: CaseCode; raisedBy: UserId }, at: number, config: AlertConfig): AlertTransition {
  const state: AlertState = { ...input, raisedAt: at, status: "raised", reminders: 0 };
  const effects: AlertEffect[] = [{ kind: "post-alert" }];
  if (config.maxReminders > 0) effects.push({ kind: "schedule-reminder", at: at + config.reminderAfterMs, reminder: 1 });
  return { state, effects };
}

export type AlertEvent =
  | { readonly type: "acknowledge"; readonly at: number; readonly by: UserId }
  | { readonly type: "reminder-due"; readonly at: number; readonly reminder: number }
  /** The case was closed: its open alerts end. */
  | { readonly type: "cancel"; readonly at: number };

export function applyAlertEvent(state: AlertState, event: AlertEvent, config: AlertConfig): AlertTransition {
  const unchanged: AlertTransition = { state, effects: [] };
  if (state.status !== "raised") return unchanged;
  switch (event.type) {
    case "acknowledge":
      // The one who raised the alert does not acknowledge it for the team.
      if (event.by === state.raisedBy) return unchanged;
      return { state: { ...state, status: "acknowledged", acknowledgedBy: event.by, acknowledgedAt: event.at }, effects: [{ kind: "post-acknowledgement", by: event.by }] };
    case "reminder-due": {
      // A replayed or stale timer (the reminder already went out) changes nothing.
      if (event.reminder !== state.reminders + 1 || event.reminder > config.maxReminders) return unchanged;
      const effects: AlertEffect[] = [{ kind: "post-reminder", reminder: event.reminder }];
      if (event.reminder < config.maxReminders) effects.push({ kind: "schedule-reminder", at: event.at + config.reminderAfterMs, reminder: event.reminder + 1 });
      return { state: { ...state, reminders: event.reminder }, effects };
    }
    case "cancel":
      return { state: { ...state, status: "cancelled" }, effects: [] };
  }
}
