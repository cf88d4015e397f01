// A patient case: its pseudonymous label, who may be invited or removed, closure and
// reopening. Pure: every event carries its time, effects are data for the adapter.
import type { CaseCode, ReferralCode, UserId } from "./ids.ts";

export const THEME_MIN_CHARS = 3;
export const THEME_MAX_CHARS = 60;

export type ThemeProblem = "too-short" | "too-long" | "no-letters";

/** The care theme as it will show in the room name: one line, single spaces. */
export function checkTheme(input: string): { ok: true; theme: string } | { ok: false; problem: ThemeProblem } {
  const theme = input.replace(/\s+/g, " ").trim();
  if (theme.length < THEME_MIN_CHARS) return { ok: false, problem: "too-short" };
  if (theme.length > THEME_MAX_CHARS) return { ok: false, problem: "too-long" };
  if (!/\p{L}{2}/u.test(theme)) return { ok: false, problem: "no-letters" };
  return { ok: true, theme };
}

/** "C-7K3F · plaie pied diabétique": what the room name, topic and lists show. */
export function caseLabel(code: CaseCode, theme: string): string {
  return `${code} · ${theme}`;
}

export type CaseStatus = "open" | "closed" | "archived";

export interface CaseHistoryEntry {
  readonly at: number;
  readonly type: "open" | "close" | "reopen" | "archive";
  readonly by?: UserId;
}

export interface CaseState {
  readonly code: CaseCode;
  readonly theme: string;
  readonly createdBy: UserId;
  readonly createdAt: number;
  /** The referral whose acceptance opened this case, when it was not opened with !patient. */
  readonly fromReferral?: ReferralCode;
  readonly status: CaseStatus;
  readonly closedAt?: number;
  readonly closedBy?: UserId;
  readonly history: readonly CaseHistoryEntry[];
}

export type CaseEffect =
  | { readonly kind: "create-case-room"; readonly invite: readonly UserId[] }
  /** Ask the creator, in the room, for the patient's identity (the fiche de liaison). */
  | { readonly kind: "ask-card"; readonly to: UserId }
  | { readonly kind: "lock-room" }
  | { readonly kind: "unlock-room" }
  | { readonly kind: "announce"; readonly news: "closed" | "reopened"; readonly by: UserId }
  | { readonly kind: "schedule-retention-end"; readonly at: number };

export type CaseRefusal = "not-manager" | "not-open" | "not-closed" | "retention-over";

export interface CaseTransition {
  readonly state: CaseState;
  readonly effects: readonly CaseEffect[];
  readonly refusal?: CaseRefusal;
}

export interface NewCase {
  readonly code: CaseCode;
  readonly theme: string;
  readonly createdBy: UserId;
  readonly members: readonly UserId[];
  readonly fromReferral?: ReferralCode;
}

export function openCase(input: NewCase, at: number): CaseTransition {
  const state: CaseState = {
    code: input.code,
    theme: input.theme,
    createdBy: input.createdBy,
    createdAt: at,
    ...(input.fromReferral ? { fromReferral: input.fromReferral } : {}),
    status: "open",
    history: [{ at, type: "open", by: input.createdBy }],
  };
  const invite = [input.createdBy, ...input.members.filter((m) => m !== input.createdBy)];
  return { state, effects: [{ kind: "create-case-room", invite: [...new Set(invite)] }, { kind: "ask-card", to: input.createdBy }] };
}

export type CaseEvent =
  | { readonly type: "close"; readonly at: number; readonly by: UserId; readonly isManager: boolean }
  | { readonly type: "reopen"; readonly at: number; readonly by: UserId; readonly isManager: boolean }
  | { readonly type: "retention-end"; readonly at: number };

/** `retentionMs`: how long a closed case's messages are kept (the CPTS's policy); it can be reopened until then. */
export function applyCaseEvent(state: CaseState, event: CaseEvent, retentionMs: number): CaseTransition {
  const refuse = (refusal: CaseRefusal): CaseTransition => ({ state, effects: [], refusal });
  switch (event.type) {
    case "close": {
      if (!event.isManager) return refuse("not-manager");
      if (state.status !== "open") return refuse("not-open");
      return {
        state: { ...state, status: "closed", closedAt: event.at, closedBy: event.by, history: [...state.history, { at: event.at, type: "close", by: event.by }] },
        effects: [{ kind: "lock-room" }, { kind: "announce", news: "closed", by: event.by }, { kind: "schedule-retention-end", at: event.at + retentionMs }],
      };
    }
    case "reopen": {
      if (!event.isManager) return refuse("not-manager");
      if (state.status === "archived") return refuse("retention-over");
      if (state.status !== "closed") return refuse("not-closed");
      if (event.at >= (state.closedAt ?? 0) + retentionMs) return refuse("retention-over");
      const { closedAt: _closedAt, closedBy: _closedBy, ...rest } = state;
      return {
        state: { ...rest, status: "open", history: [...state.history, { at: event.at, type: "reopen", by: event.by }] },
        effects: [{ kind: "unlock-room" }, { kind: "announce", news: "reopened", by: event.by }],
      };
    }
    case "retention-end": {
      // A case reopened (and maybe closed again later) is not archived by an older timer.
      if (state.status !== "closed" || event.at < (state.closedAt ?? 0) + retentionMs) return { state, effects: [] };
      return { state: { ...state, status: "archived", history: [...state.history, { at: event.at, type: "archive" }] }, effects: [] };
    }
  }
}

/** Where the directory says a person stands. */
export type MemberStatus = "verified" | "deactivated" | "unknown";
/** A person's membership of the room, as the homeserver says. */
export type RoomMembership = "join" | "invite" | "leave" | "ban" | "knock" | undefined;

export type InviteRefusal = "case-closed" | "not-manager" | "self" | "bot" | "not-member" | "deactivated" | "already-in-team" | "already-invited";

/** Whether `target` may be invited to the case by `inviter`; the first reason that applies. */
export function inviteRefusal(input: {
  readonly caseStatus: CaseStatus;
  readonly inviterIsManager: boolean;
  readonly inviter: UserId;
  readonly target: UserId;
  readonly botUserId: UserId;
  readonly targetStatus: MemberStatus;
  readonly targetMembership: RoomMembership;
}): InviteRefusal | undefined {
  if (input.caseStatus !== "open") return "case-closed";
  if (!input.inviterIsManager) return "not-manager";
  if (input.target === input.inviter) return "self";
  if (input.target === input.botUserId) return "bot";
  if (input.targetMembership === "join") return "already-in-team";
  if (input.targetMembership === "invite") return "already-invited";
  if (input.targetStatus === "deactivated") return "deactivated";
  if (input.targetStatus !== "verified") return "not-member";
  return undefined;
}

export type RemovalRefusal = "case-closed" | "not-manager" | "bot" | "not-in-team" | "last-manager";

/** Whether `actor` may remove `target`; the last person (besides the bot) who can invite and remove is never removed. */
export function removalRefusal(input: {
  readonly caseStatus: CaseStatus;
  readonly actorIsManager: boolean;
  readonly target: UserId;
  readonly botUserId: UserId;
  readonly targetMembership: RoomMembership;
  /** The people, besides the bot, who hold the power to invite and remove, still in the room. */
  readonly managers: readonly UserId[];
}): RemovalRefusal | undefined {
  if (input.caseStatus !== "open") return "case-closed";
  if (!input.actorIsManager) return "not-manager";
  if (input.target === input.botUserId) return "bot";
  if (input.targetMembership !== "join" && input.targetMembership !== "invite") return "not-in-team";
  if (input.managers.includes(input.target) && input.managers.every((m) => m === input.target)) return "last-manager";
  return undefined;
}
