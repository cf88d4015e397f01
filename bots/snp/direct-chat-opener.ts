import pLimit from "p-limit";
import type { Reply } from "../core/commands/command.ts";
import type { Logger } from "../core/logger.ts";
import { retryRateLimited } from "../core/matrix/rate-limit.ts";
import { type Candidate, type DirectChatToOpen, directChatsToOpen } from "./domain/index.ts";
import type { DirectChatWelcomes } from "./store/direct-chat-welcomes.ts";

/**
 * Direct chats opened at once by a sweep: low enough that a request arriving meanwhile is not
 * slowed (its dispatch reuses a chat being opened, see Messenger.directRoom), high enough to
 * open a pool of 50 in well under a minute.
 */
const OPENINGS_IN_FLIGHT = 2;

/** What the opener needs of the Messenger and the bot's sync. */
export interface DirectChats {
  directRoomIfOpen(userId: string): string | undefined;
  directRoom(userId: string): Promise<string>;
  notice(roomId: string, reply: Reply, idempotencyKey?: string): Promise<string>;
  /** That person's membership of that room as the bot's sync knows it ("invite", "join", "leave"…). */
  membership(roomId: string, userId: string): string | undefined;
}

export interface DirectChatOpenerDeps {
  readonly chats: DirectChats;
  readonly welcomes: DirectChatWelcomes;
  /** The CPTS's members as the cascade reads them (CandidateSource). */
  readonly candidates: () => readonly Candidate[];
  /** The welcome notice, in that person's language. */
  readonly welcome: (userId: string) => Reply;
  readonly logger: Logger;
  readonly sweepEveryMs: number;
}

export interface SweepOutcome {
  readonly welcomed: number;
  /** Invited, the welcome waiting for them to join. */
  readonly invited: number;
  readonly alreadyOpen: number;
  readonly declined: number;
  readonly failed: number;
}

type Outcome = "welcomed" | "invited" | "already-open" | "declined";

/**
 * Opens the SNP bot's direct chat with each member the cascade may ask (domain/direct-chats.ts),
 * in the background: at start, then every `sweepEveryMs`, and when asked (`!dispo on`). Each
 * chat gets one welcome notice, sent under an idempotency key so that a restart sends it once,
 * when the person joins: sent with the invitation, it could reach their app before the bot's
 * keys do, and a strict client ("only signed devices") would never show it. A failure is
 * logged and tried again at the next sweep; nothing else waits for a sweep.
 */
export class DirectChatOpener {
  private readonly deps: DirectChatOpenerDeps;
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;
  private sweepAgain = false;
  private stopped = false;
  private readonly inFlight = pLimit(OPENINGS_IN_FLIGHT);
  /** Welcomes to people who just joined do not wait behind the rest of a sweep's openings. */
  private readonly welcomesInFlight = pLimit(OPENINGS_IN_FLIGHT);

  constructor(deps: DirectChatOpenerDeps) {
    this.deps = deps;
  }

  start(): void {
    this.stopped = false;
    this.requestSweep();
    this.timer = setInterval(() => this.requestSweep(), this.deps.sweepEveryMs);
  }

  /** A sweep now, or right after the one running (which may have read the members before the change). */
  requestSweep(): void {
    if (this.stopped) return;
    if (this.running) {
      this.sweepAgain = true;
      return;
    }
    this.running = this.sweep()
      .then(
        () => undefined,
        (err: unknown) => this.deps.logger.error({ err: (err as Error).message }, "SNP direct chats: sweep failed; tried again at the next one"),
      )
      .finally(() => {
        this.running = undefined;
        if (this.sweepAgain) {
          this.sweepAgain = false;
          this.requestSweep();
        }
      });
  }

  /** No new sweep, no new chat; waits for the chats being opened. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** A membership change seen by the bot's sync: someone joining the chat their welcome waits in gets it. */
  onMembership(roomId: string, userId: string, membership: string): void {
    if (this.stopped || membership !== "join") return;
    const warn = (err: unknown): void => this.deps.logger.warn({ userId, err: (err as Error).message }, "SNP welcome not sent; tried again at the next sweep");
    try {
      if (this.deps.welcomes.pendingRoom(userId) !== roomId) return;
      void this.welcomesInFlight(() => this.welcomeOnceJoined(userId, roomId)).catch(warn);
    } catch (err) {
      warn(err);
    }
  }

  async sweep(): Promise<SweepOutcome> {
    const toOpen = directChatsToOpen(this.deps.candidates(), this.deps.welcomes.statuses());
    if (toOpen.length === 0) return { welcomed: 0, invited: 0, alreadyOpen: 0, declined: 0, failed: 0 };
    const outcomes = await Promise.all(
      toOpen.map((person) =>
        this.inFlight(async () => {
          if (this.stopped) return "skipped" as const;
          try {
            return await this.open(person);
          } catch (err) {
            this.deps.logger.warn({ userId: person.userId, err: (err as Error).message }, "SNP direct chat not opened ahead of requests; tried again at the next sweep");
            return "failed" as const;
          }
        }),
      ),
    );
    const count = (what: string): number => outcomes.filter((o) => o === what).length;
    const outcome = { welcomed: count("welcomed"), invited: count("invited"), alreadyOpen: count("already-open"), declined: count("declined"), failed: count("failed") };
    // Those only waiting to join are not news at every sweep.
    if (outcome.welcomed + outcome.alreadyOpen + outcome.declined + outcome.failed > 0 || toOpen.some((p) => !p.resume)) {
      this.deps.logger.info(outcome, "SNP direct chats opened ahead of requests");
    }
    return outcome;
  }

  private async open({ userId, resume }: DirectChatToOpen): Promise<Outcome> {
    const { chats, welcomes } = this.deps;
    let roomId = resume ? welcomes.pendingRoom(userId) : undefined;
    if (!resume) {
      const open = chats.directRoomIfOpen(userId);
      if (open) {
        // They already talk with the bot, or got requests from it: nothing to announce.
        welcomes.markExisting(userId, open);
        return "already-open";
      }
      welcomes.markPending(userId, null);
    }
    if (roomId === undefined) {
      // New, or opening interrupted by a crash (then the Messenger finds the chat if it was made).
      roomId = await retryRateLimited(() => chats.directRoom(userId));
      welcomes.markPending(userId, roomId);
    }
    return this.welcomeOnceJoined(userId, roomId);
  }

  private async welcomeOnceJoined(userId: string, roomId: string): Promise<Outcome> {
    const { chats, welcomes } = this.deps;
    const membership = chats.membership(roomId, userId);
    if (membership === "invite") return "invited";
    if (membership !== "join") {
      // Refused or left before the welcome: not invited again (a request still reaches them).
      welcomes.markDeclined(userId, roomId);
      return "declined";
    }
    if (welcomes.pendingRoom(userId) !== roomId) return "welcomed"; // sent meanwhile (a sweep and a join at once)
    const eventId = await retryRateLimited(() => chats.notice(roomId, this.deps.welcome(userId), `snp-direct-chat-welcome:${userId}`));
    welcomes.markSent(userId, roomId, eventId);
    return "welcomed";
  }
}
