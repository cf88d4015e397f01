import type { Clock } from "../../core/clock.ts";
import type { Db } from "../../core/store/database.ts";
import type { CaseCode, ReferralCode } from "../domain/ids.ts";
import { applyReferralEvent, sendReferral, type NewReferral, type ReferralEvent, type ReferralState, type ReferralTransition } from "../domain/referral.ts";
import type { CareOutbox } from "./outbox.ts";

export interface ReferralRecord {
  readonly state: ReferralState;
  /** Where it was sent from: the sender's news go there. */
  readonly originRoomId: string;
  /** The sender's reason, until the target has it. */
  readonly reason: string | undefined;
  readonly notification: { roomId: string; eventId: string } | undefined;
  /** The case the target joins (the origin's, or the one opened on acceptance). */
  readonly caseCode: CaseCode | undefined;
}

interface Row {
  state: string;
  origin_room_id: string;
  reason: string | null;
  notification_room_id: string | null;
  notification_event_id: string | null;
  case_code: string | null;
}

function toRecord(row: Row): ReferralRecord {
  return {
    state: JSON.parse(row.state) as ReferralState,
    originRoomId: row.origin_room_id,
    reason: row.reason ?? undefined,
    notification: row.notification_room_id && row.notification_event_id ? { roomId: row.notification_room_id, eventId: row.notification_event_id } : undefined,
    caseCode: (row.case_code ?? undefined) as CaseCode | undefined,
  };
}

const COLUMNS = "state, origin_room_id, reason, notification_room_id, notification_event_id, case_code";

/** Referrals in SQLite; every transition and its effects in one immediate transaction. */
export class ReferralStore {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly outbox: CareOutbox;
  private readonly reminderAfterMs: number;

  constructor(db: Db, clock: Clock, outbox: CareOutbox, reminderAfterMs: number) {
    this.db = db;
    this.clock = clock;
    this.outbox = outbox;
    this.reminderAfterMs = reminderAfterMs;
  }

  send(input: NewReferral, originRoomId: string, reason: string): ReferralTransition {
    return this.db.transaction((): ReferralTransition => {
      const now = this.clock.now();
      const transition = sendReferral(input, now, this.reminderAfterMs);
      this.db
        .prepare(
          `INSERT INTO care_referrals (code, status, state, sender, target, origin_room_id, reason, case_code, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(input.code, transition.state.status, JSON.stringify(transition.state), input.sender, input.target, originRoomId, reason, input.caseCode ?? null, now, now);
      this.outbox.enqueue("referral", input.code, transition.effects);
      return transition;
    }).immediate();
  }

  apply(code: ReferralCode, event: ReferralEvent): ReferralTransition {
    return this.db.transaction((): ReferralTransition => {
      const current = this.get(code);
      if (!current) throw new Error(`unknown referral ${code}`);
      const transition = applyReferralEvent(current.state, event);
      if (transition.state !== current.state) {
        this.db.prepare("UPDATE care_referrals SET status = ?, state = ?, updated_at = ? WHERE code = ?").run(transition.state.status, JSON.stringify(transition.state), this.clock.now(), code);
      }
      this.outbox.enqueue("referral", code, transition.effects);
      return transition;
    }).immediate();
  }

  get(code: ReferralCode): ReferralRecord | undefined {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM care_referrals WHERE code = ?`).get(code) as Row | undefined;
    return row && toRecord(row);
  }

  byNotification(eventId: string): ReferralRecord | undefined {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM care_referrals WHERE notification_event_id = ?`).get(eventId) as Row | undefined;
    return row && toRecord(row);
  }

  /** The target has the request: the reason is no longer kept here. */
  notified(code: ReferralCode, roomId: string, eventId: string): void {
    this.db.prepare("UPDATE care_referrals SET notification_room_id = ?, notification_event_id = ?, reason = NULL, updated_at = ? WHERE code = ?").run(roomId, eventId, this.clock.now(), code);
  }

  setCase(code: ReferralCode, caseCode: CaseCode): void {
    this.db.prepare("UPDATE care_referrals SET case_code = ? WHERE code = ?").run(caseCode, code);
  }

  /** Sent by or to this person, newest first. */
  involving(userId: string, limit: number): ReferralRecord[] {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM care_referrals WHERE sender = ? OR target = ? ORDER BY created_at DESC LIMIT ?`).all(userId, userId, limit) as Row[]).map(toRecord);
  }

  /** Delivered and not yet seen by their target (this one, or any): what a read receipt can move on. */
  unseen(target?: string): ReferralRecord[] {
    const rows =
      target === undefined
        ? this.db.prepare(`SELECT ${COLUMNS} FROM care_referrals WHERE status = 'sent' AND notification_event_id IS NOT NULL`).all()
        : this.db.prepare(`SELECT ${COLUMNS} FROM care_referrals WHERE target = ? AND status = 'sent' AND notification_event_id IS NOT NULL`).all(target);
    return (rows as Row[]).map(toRecord);
  }
}
