// Who the bot opens its direct chat with ahead of any request. Opening ~50 encrypted DMs
// takes the homeserver ~20 s on a small server: done when a request arrives, it delays the
// first dispatch of a morning by as much. Opened in advance, in the background, it costs
// the request nothing. Only people who asked to receive requests get one: never the whole CPTS.
import type { Candidate } from "./candidates.ts";
import type { UserId } from "./ids.ts";

/**
 * `pending`: the direct chat is opened (or being opened) and its welcome notice waits for the
 * person to join (their app then knows the bot's keys and can read it); `sent`: the notice went
 * out; `existing`: the person already shared a direct chat with the bot, so no notice was
 * needed; `declined`: they refused the invitation. Each person is handled once: nobody is
 * invited again by the sweep (a request still reaches them, in a new chat).
 */
export type WelcomeStatus = "pending" | "sent" | "existing" | "declined";

export interface DirectChatToOpen {
  readonly userId: UserId;
  /** Opened before: see whether they joined (or finish opening it after a crash) rather than open another. */
  readonly resume: boolean;
}

/**
 * Whether the cascade (planCascade) could ask this person for some request, now or later:
 * a verified member in the SNP pool (`!profil snp oui`) who has not said `!dispo off`.
 * Profession, distance, practice hours and the garde rota only decide *which* requests and
 * *when*; being on the rota without being in the pool does not make one a candidate.
 */
export function mayBeAskedLater(candidate: Candidate): boolean {
  return candidate.member && candidate.inPool && candidate.dispo;
}

/** Those who may be asked and have no direct chat opened by a sweep yet, and those whose welcome still waits; the waiting first. */
export function directChatsToOpen(candidates: readonly Candidate[], welcomes: ReadonlyMap<string, WelcomeStatus>): DirectChatToOpen[] {
  const toOpen: DirectChatToOpen[] = [];
  for (const candidate of candidates) {
    if (!mayBeAskedLater(candidate)) continue;
    const status = welcomes.get(candidate.userId);
    if (status === undefined || status === "pending") toOpen.push({ userId: candidate.userId, resume: status === "pending" });
  }
  return toOpen.sort((a, b) => Number(b.resume) - Number(a.resume) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}
