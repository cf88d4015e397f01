import type { Clock } from "../../core/clock.ts";
import type { Db } from "../../core/store/database.ts";
import { applyExpertiseEvent, openExpertise, type ExpertiseEvent, type ExpertiseState, type ExpertiseTransition, type NewExpertise } from "../domain/expertise.ts";
import type { ExpertiseCode, UserId } from "../domain/ids.ts";
import type { CareOutbox } from "./outbox.ts";

export interface ExpertiseRecord {
  readonly state: ExpertiseState;
  readonly originRoomId: string;
  /** Kept while experts may still need to read it; gone once the request is over. */
  readonly question: string | undefined;
  readonly roomId: string | undefined;
}

export interface ExpertNotification {
  readonly code: ExpertiseCode;
  readonly userId: UserId;
  readonly roomId: string;
  readonly eventId: string;
}

interface Row { state: string; origin_room_id: string; question: string | null; room_id: string | null }

const toRecord = (row: Row): ExpertiseRecord => ({
  state: JSON.parse(row.state) as ExpertiseState,
  originRoomId: row.origin_room_id,
  question: row.question ?? undefined,
  roomId: row.room_id ?? undefined,
});

const FINISHED = new Set(["answered", "expired", "cancelled"]);

/** Téléexpertise requests in SQLite; every transition and its effects in one immediate transaction (first take wins). */
export class ExpertiseStore {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly outbox: CareOutbox;
  private readonly waveTimeoutMs: number;

  constructor(db: Db, clock: Clock, outbox: CareOutbox, waveTimeoutMs: number) {
    this.db = db;
    this.clock = clock;
    this.outbox = outbox;
    this.waveTimeoutMs = waveTimeoutMs;
  }

  open(input: NewExpertise, waves: readonly (readonly UserId[])[], originRoomId: string, question: string): ExpertiseTransition {
    return this.db.transaction((): ExpertiseTransition => {
      const now = this.clock.now();
      const transition = openExpertise(input, waves, now, this.waveTimeoutMs);
      this.db
        .prepare("INSERT INTO care_expertise (code, status, state, requester, origin_room_id, question, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .run(input.code, transition.state.status, JSON.stringify(transition.state), input.requester, originRoomId, FINISHED.has(transition.state.status) ? null : question, now, now);
      this.outbox.enqueue("expertise", input.code, transition.effects);
      return transition;
    }).immediate();
  }

  apply(code: ExpertiseCode, event: ExpertiseEvent): ExpertiseTransition {
    return this.db.transaction((): ExpertiseTransition => {
      const current = this.get(code);
      if (!current) throw new Error(`unknown téléexpertise request ${code}`);
      const transition = applyExpertiseEvent(current.state, event, this.waveTimeoutMs);
      if (transition.state !== current.state) {
        this.db.prepare("UPDATE care_expertise SET status = ?, state = ?, updated_at = ? WHERE code = ?").run(transition.state.status, JSON.stringify(transition.state), this.clock.now(), code);
      }
      this.outbox.enqueue("expertise", code, transition.effects);
      return transition;
    }).immediate();
  }

  get(code: ExpertiseCode): ExpertiseRecord | undefined {
    const row = this.db.prepare("SELECT state, origin_room_id, question, room_id FROM care_expertise WHERE code = ?").get(code) as Row | undefined;
    return row && toRecord(row);
  }

  byRoom(roomId: string): ExpertiseRecord | undefined {
    const row = this.db.prepare("SELECT state, origin_room_id, question, room_id FROM care_expertise WHERE room_id = ?").get(roomId) as Row | undefined;
    return row && toRecord(row);
  }

  setRoom(code: ExpertiseCode, roomId: string): void {
    this.db.prepare("UPDATE care_expertise SET room_id = ? WHERE code = ?").run(roomId, code);
  }

  /** The request is over: its question is no longer kept here (the room keeps it, encrypted). */
  forgetQuestion(code: ExpertiseCode): void {
    this.db.prepare("UPDATE care_expertise SET question = NULL WHERE code = ?").run(code);
  }

  createdBetween(from: number, to: number): ExpertiseState[] {
    return (this.db.prepare("SELECT state FROM care_expertise WHERE created_at >= ? AND created_at < ? ORDER BY created_at").all(from, to) as { state: string }[]).map(
      (r) => JSON.parse(r.state) as ExpertiseState,
    );
  }

  involving(userId: string, limit: number): ExpertiseState[] {
    return (
      this.db
        .prepare(
          `SELECT e.state FROM care_expertise e WHERE e.requester = ? OR EXISTS (SELECT 1 FROM care_expertise_notifications n WHERE n.code = e.code AND n.user_id = ?)
           ORDER BY e.created_at DESC LIMIT ?`,
        )
        .all(userId, userId, limit) as { state: string }[]
    ).map((r) => JSON.parse(r.state) as ExpertiseState);
  }

  recordNotification(n: ExpertNotification): void {
    this.db
      .prepare("INSERT INTO care_expertise_notifications (code, user_id, room_id, event_id, notified_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
      .run(n.code, n.userId, n.roomId, n.eventId, this.clock.now());
  }

  notification(code: ExpertiseCode, userId: string): ExpertNotification | undefined {
    const row = this.db.prepare("SELECT room_id, event_id FROM care_expertise_notifications WHERE code = ? AND user_id = ?").get(code, userId) as { room_id: string; event_id: string } | undefined;
    return row && { code, userId: userId as UserId, roomId: row.room_id, eventId: row.event_id };
  }

  notificationByEvent(eventId: string): ExpertNotification | undefined {
    const row = this.db.prepare("SELECT code, user_id, room_id, event_id FROM care_expertise_notifications WHERE event_id = ?").get(eventId) as
      | { code: string; user_id: string; room_id: string; event_id: string }
      | undefined;
    return row && { code: row.code as ExpertiseCode, userId: row.user_id as UserId, roomId: row.room_id, eventId: row.event_id };
  }

  /** A file or message the requester posted in the request's room before an expert could read it. */
  recordAttachment(code: ExpertiseCode, eventId: string, postedAt: number): void {
    this.db.prepare("INSERT INTO care_expertise_attachments (code, event_id, posted_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING").run(code, eventId, postedAt);
  }

  attachments(code: ExpertiseCode): string[] {
    return this.db.prepare("SELECT event_id FROM care_expertise_attachments WHERE code = ? ORDER BY posted_at, event_id").pluck().all(code) as string[];
  }
}
