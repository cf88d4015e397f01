// The request state machine. Pure: `apply` never reads the clock (every event carries its
// time) and never sends anything (effects are data). Scheduled jobs are not cancelled:
// a job that fires for a state that moved on (stale wave, reminder after acceptance) is a
// no-op, which is also what makes a replay after a restart harmless.
import type { UserId } from "./ids.ts";
import type { SnpCareMode } from "./request.ts";
import {
  DEFAULT_LIFECYCLE,
  type EscalationReason,
  type HistoryEntry,
  type LifecycleConfig,
  type RefusalReason,
  type SnpEffect,
  type SnpEvent,
  type SnpRequestState,
  type Transition,
} from "./lifecycle-model.ts";

/** What a request is opened with: the state's identifying part. */
export type NewRequest = Pick<SnpRequestState, "id" | "requester" | "profession" | "eligible" | "careDelayHours" | "modes">;

export function checkLifecycleConfig(config: LifecycleConfig): LifecycleConfig {
  if (!(config.responseDeadlineMs > 0)) throw new Error("snp.responseDeadline must be positive");
  if (!(config.reminderAfterMs > 0 && config.reminderAfterMs < config.responseDeadlineMs)) {
    throw new Error("snp.reminderAfter must be positive and before snp.responseDeadline");
  }
  return config;
}

/** An eligible request waits for its dispatch; an ineligible one is recorded (for the indicators) and redirected. */
export function openRequest(input: NewRequest, at: number): Transition {
  const state: SnpRequestState = {
    ...input,
    status: input.eligible ? "open" : "redirected",
    createdAt: at,
    waves: [],
    currentWave: -1,
    notified: [],
    declined: [],
    history: [{ at, type: input.eligible ? "open" : "redirected", by: input.requester }],
  };
  return { state, effects: input.eligible ? [] : [{ kind: "tell-requester", to: input.requester, news: "redirected" }] };
}

const ACTIVE = new Set(["dispatching", "reminded"]);
const unchanged = (state: SnpRequestState): Transition => ({ state, effects: [] });
const refuse = (state: SnpRequestState, to: UserId, reason: RefusalReason, holder?: UserId): Transition => ({
  state,
  effects: [{ kind: "refuse", to, reason, ...(holder ? { holder } : {}) }],
});
const log = (state: SnpRequestState, entry: HistoryEntry): readonly HistoryEntry[] => [...state.history, entry];

export function apply(state: SnpRequestState, event: SnpEvent, config: LifecycleConfig = DEFAULT_LIFECYCLE): Transition {
  switch (event.type) {
    case "dispatch": {
      if (state.status !== "open") return unchanged(state);
      const started: SnpRequestState = {
        ...state,
        status: "dispatching",
        dispatchedAt: event.at,
        deadlineAt: event.at + config.responseDeadlineMs,
        waves: event.waves,
        history: log(state, { at: event.at, type: "dispatch" }),
      };
      const timers: SnpEffect[] = [
        { kind: "schedule", job: "reminder", at: event.at + config.reminderAfterMs },
        { kind: "schedule", job: "deadline", at: event.at + config.responseDeadlineMs },
      ];
      const next = advance(started, event.at, []);
      return next ? { state: next.state, effects: [...next.effects, ...timers] } : escalate(started, event.at, "no-candidate");
    }
    case "wave-timeout": {
      if (!ACTIVE.has(state.status) || event.wave !== state.currentWave) return unchanged(state);
      return advance(state, event.at, event.skip ?? []) ?? unchanged(state);
    }
    case "reminder-due": {
      if (state.status !== "dispatching") return unchanged(state);
      const to = state.notified.filter((u) => !state.declined.includes(u));
      return {
        state: { ...state, status: "reminded", remindedAt: event.at, history: log(state, { at: event.at, type: "reminder" }) },
        effects: to.length > 0 ? [{ kind: "send-reminder", to }] : [],
      };
    }
    case "deadline":
      return ACTIVE.has(state.status) ? escalate(state, event.at, "deadline") : unchanged(state);
    case "accept":
      return accept(state, event.by, event.mode, event.at);
    case "decline": {
      if (!ACTIVE.has(state.status) || state.declined.includes(event.by)) return unchanged(state);
      if (!state.notified.includes(event.by)) return refuse(state, event.by, "not-a-candidate");
      const declined: SnpRequestState = {
        ...state,
        declined: [...state.declined, event.by],
        history: log(state, { at: event.at, type: "decline", by: event.by }),
      };
      if (declined.notified.some((u) => !declined.declined.includes(u))) return unchanged(declined);
      // Everyone asked said no: no point waiting for the timers.
      return advance(declined, event.at, []) ?? escalate(declined, event.at, "all-declined");
    }
    case "claim-callback": {
      if (state.status === "callback-claimed") return refuse(state, event.by, "already-claimed", state.claimedBy);
      if (state.status !== "escalated") return refuse(state, event.by, "not-active");
      return {
        state: { ...state, status: "callback-claimed", claimedBy: event.by, claimedAt: event.at, history: log(state, { at: event.at, type: "claim-callback", by: event.by }) },
        effects: [{ kind: "callback-claimed", by: event.by }, { kind: "tell-requester", to: state.requester, news: "callback-claimed", by: event.by }],
      };
    }
    case "close-callback": {
      if (state.status !== "callback-claimed") return refuse(state, event.by, "not-active");
      if (event.by !== state.claimedBy) return refuse(state, event.by, "not-the-claimer", state.claimedBy);
      return {
        state: {
          ...state,
          status: "closed",
          outcome: event.outcome,
          closedAt: event.at,
          history: log(state, { at: event.at, type: "close-callback", by: event.by, detail: event.outcome }),
        },
        effects: [{ kind: "tell-requester", to: state.requester, news: "closed", by: event.by }],
      };
    }
    case "done":
    case "not-done": {
      if (state.status !== "accepted") return refuse(state, event.by, "not-active");
      if (event.by !== state.acceptedBy) return refuse(state, event.by, "not-the-acceptor", state.acceptedBy);
      const done = event.type === "done";
      const closed: SnpRequestState = done
        ? { ...state, status: "done", doneAt: event.at }
        : { ...state, status: "not-done", notDoneAt: event.at, notDoneReason: event.reason };
      return {
        state: { ...closed, history: log(state, { at: event.at, type: event.type, by: event.by, ...(done ? {} : { detail: event.reason }) }) },
        effects: [{ kind: "tell-requester", to: state.requester, news: event.type, by: event.by }],
      };
    }
    case "cancel": {
      if (!["open", "dispatching", "reminded", "accepted", "escalated"].includes(state.status)) return refuse(state, event.by, "not-active");
      const waiting = ACTIVE.has(state.status) ? state.notified.filter((u) => !state.declined.includes(u)) : [];
      const effects: SnpEffect[] = [{ kind: "tell-requester", to: state.requester, news: "cancelled", by: event.by }];
      if (waiting.length > 0) effects.unshift({ kind: "mark-closed", to: waiting, why: "cancelled" });
      return {
        state: {
          ...state,
          status: "cancelled",
          cancelledAt: event.at,
          history: log(state, { at: event.at, type: "cancel", by: event.by, ...(event.reason ? { detail: event.reason } : {}) }),
        },
        effects,
      };
    }
  }
}

/** First to accept wins; the SQLite adapter makes the same rule atomic with a conditional UPDATE. */
function accept(state: SnpRequestState, by: UserId, mode: SnpCareMode, at: number): Transition {
  if (state.acceptedBy !== undefined) return refuse(state, by, "already-taken", state.acceptedBy);
  if (state.status === "escalated" || state.status === "callback-claimed") return refuse(state, by, "escalated");
  if (!ACTIVE.has(state.status)) return refuse(state, by, "not-active");
  if (!state.notified.includes(by)) return refuse(state, by, "not-a-candidate");
  if (!state.modes.includes(mode)) return refuse(state, by, "mode-not-offered");
  const others = state.notified.filter((u) => u !== by);
  return {
    state: {
      ...state,
      status: "accepted",
      acceptedBy: by,
      acceptedMode: mode,
      acceptedAt: at,
      history: log(state, { at, type: "accept", by, detail: mode }),
    },
    // The requester, who waits for the answer, is told before the other candidates' notifications are edited.
    effects: [
      { kind: "tell-requester", to: state.requester, news: "accepted", by, mode },
      ...(others.length > 0 ? [{ kind: "mark-taken", to: others, acceptor: by } as const] : []),
      { kind: "create-case-room", members: [state.requester, by] },
    ],
  };
}

/** Notifies the next wave that still has someone to ask; undefined when the cascade is exhausted. */
function advance(state: SnpRequestState, at: number, skip: readonly UserId[]): Transition | undefined {
  for (let k = state.currentWave + 1; k < state.waves.length; k++) {
    const wave = state.waves[k]!;
    const to = wave.candidates.filter((u) => !state.notified.includes(u) && !skip.includes(u));
    if (to.length === 0) continue;
    const effects: SnpEffect[] = [{ kind: "notify-candidates", wave: k, to }];
    if (k + 1 < state.waves.length) effects.push({ kind: "schedule", job: "wave-timeout", at: at + wave.durationMs, wave: k });
    return {
      state: { ...state, currentWave: k, notified: [...state.notified, ...to], history: log(state, { at, type: "wave", wave: k }) },
      effects,
    };
  }
  return undefined;
}

function escalate(state: SnpRequestState, at: number, reason: EscalationReason): Transition {
  const history = log(state, { at, type: "escalate", detail: reason });
  const waiting = state.notified.filter((u) => !state.declined.includes(u));
  const effects: SnpEffect[] = [
    { kind: "escalate", reason, fallback: ["garde", "samu-15"], history },
    { kind: "tell-requester", to: state.requester, news: "escalated" },
  ];
  if (waiting.length > 0) effects.unshift({ kind: "mark-closed", to: waiting, why: "escalated" });
  return { state: { ...state, status: "escalated", escalatedAt: at, escalationReason: reason, history }, effects };
}
