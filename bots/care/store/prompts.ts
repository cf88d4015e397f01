import type { Clock } from "../../core/clock.ts";
import type { Db } from "../../core/store/database.ts";

/** A question the bot asked one person in one room, waiting for their plain answer. */
export type Prompt =
  /** `!patient` alone: the care theme. */
  | { readonly kind: "theme" }
  /** The theme looked like it names someone: "oui" keeps it, anything else replaces it. */
  | { readonly kind: "confirm-theme"; readonly theme: string; readonly members: readonly string[] }
  /** In the new case room: the patient's identity, for the fiche de liaison. */
  | { readonly kind: "card"; readonly caseCode: string }
  /** A search found several people: the numbers of those meant. */
  | { readonly kind: "choose"; readonly action: "invite" | "refer"; readonly caseCode?: string; readonly reason?: string; readonly choices: readonly { userId: string; name: string }[] }
  /** ❌ on a referral: why. */
  | { readonly kind: "decline-reason"; readonly referralCode: string };

/** A prompt left unanswered this long is over: a later message is ordinary chat again. */
export const PROMPT_TIMEOUT_MS = 30 * 60_000;

/** One open prompt per person and room, in SQLite: a restart keeps it. */
export class Prompts {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  open(userId: string, roomId: string, prompt: Prompt): void {
    this.db
      .prepare(
        `INSERT INTO care_prompts (user_id, room_id, kind, payload, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (user_id, room_id) DO UPDATE SET kind = excluded.kind, payload = excluded.payload, updated_at = excluded.updated_at`,
      )
      .run(userId, roomId, prompt.kind, JSON.stringify(prompt), this.clock.now());
  }

  get(userId: string, roomId: string): Prompt | undefined {
    const row = this.db.prepare("SELECT payload, updated_at FROM care_prompts WHERE user_id = ? AND room_id = ?").get(userId, roomId) as { payload: string; updated_at: number } | undefined;
    if (!row || this.clock.now() - row.updated_at > PROMPT_TIMEOUT_MS) return undefined;
    return JSON.parse(row.payload) as Prompt;
  }

  /** Forgets the prompts nobody answered in time (a theme waiting for confirmation may name someone). */
  purgeExpired(): number {
    return this.db.prepare("DELETE FROM care_prompts WHERE updated_at < ?").run(this.clock.now() - PROMPT_TIMEOUT_MS).changes;
  }

  close(userId: string, roomId: string): void {
    this.db.prepare("DELETE FROM care_prompts WHERE user_id = ? AND room_id = ?").run(userId, roomId);
  }
}
