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

/** What the opener needs of the Messenger. */
export interface DirectChats {
  directRoomIfOpen(userId: string): string | undefined;
  directRoom(userId: string): Promise<string>;
  notice(roomId: string, reply: Reply, idempotencyKey?: string): Promise<string>;
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
  readonly alreadyOpen: number;
  readonly failed: number;
}

/**
 * Opens the SNP bot's direct chat with each member the cascade may ask (domain/direct-chats.ts),
 * in the background: at start, then every `sweepEveryMs`, and when asked (`!dispo on`). Each
 * chat gets one welcome notice, sent under an idempotency key so that a restart sends it once.
 * A failure is logged and tried again at the next sweep; nothing else waits for a sweep.
 */
export class DirectChatOpener {
  private readonly deps: DirectChatOpenerDeps;
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;
  private sweepAgain = false;
  private stopped = false;

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

  async sweep(): Promise<SweepOutcome> {
    const toOpen = directChatsToOpen(this.deps.candidates(), this.deps.welcomes.statuses());
    if (toOpen.length === 0) return { welcomed: 0, alreadyOpen: 0, failed: 0 };
    const inFlight = pLimit(OPENINGS_IN_FLIGHT);
    const outcomes = await Promise.all(
      toOpen.map((person) =>
        inFlight(async () => {
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
    const outcome = { welcomed: count("welcomed"), alreadyOpen: count("already-open"), failed: count("failed") };
    this.deps.logger.info(outcome, "SNP direct chats opened ahead of requests");
    return outcome;
  }

  private async open({ userId, resume }: DirectChatToOpen): Promise<"welcomed" | "already-open"> {
    const { chats, welcomes } = this.deps;
    if (!resume) {
      const open = chats.directRoomIfOpen(userId);
      if (open) {
        // They already talk with the bot, or got requests from it: nothing to announce.
        welcomes.markExisting(userId, open);
        return "already-open";
      }
      welcomes.markPending(userId);
    }
    const roomId = await retryRateLimited(() => chats.directRoom(userId));
    const eventId = await retryRateLimited(() => chats.notice(roomId, this.deps.welcome(userId), `snp-direct-chat-welcome:${userId}`));
    welcomes.markSent(userId, roomId, eventId);
    return "welcomed";
  }
}
