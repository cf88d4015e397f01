// The case rooms' video meetings and the call memberships the bot saw (who, which device,
// when, joined or left: never any content), for the invitation, the reminder and the record
// of who took part (the CPTS's activity report).
import type { Clock } from "../../core/clock.ts";
import type { Db } from "../../core/store/database.ts";
import type { Attendance, CallMembershipObservation } from "../domain/rcp.ts";

export interface RcpRecord {
  readonly id: number;
  readonly caseCode: string;
  readonly roomId: string;
  readonly scheduledBy: string;
  readonly startsAt: number;
  readonly durationMin: number;
  readonly invitationEvent?: string;
  readonly remindedAt?: number;
  readonly attendance?: Attendance;
}

interface RcpRow {
  id: number;
  case_code: string;
  room_id: string;
  scheduled_by: string;
  starts_at: number;
  duration_min: number;
  invitation_event: string | null;
  reminded_at: number | null;
  attended_from: number | null;
  attended_to: number | null;
  participants: string | null;
  recorded_at: number | null;
}

const toRecord = (r: RcpRow): RcpRecord => ({
  id: r.id,
  caseCode: r.case_code,
  roomId: r.room_id,
  scheduledBy: r.scheduled_by,
  startsAt: r.starts_at,
  durationMin: r.duration_min,
  ...(r.invitation_event ? { invitationEvent: r.invitation_event } : {}),
  ...(r.reminded_at !== null ? { remindedAt: r.reminded_at } : {}),
  ...(r.recorded_at !== null
    ? {
        attendance: {
          ...(r.attended_from !== null ? { startedAt: r.attended_from, endedAt: r.attended_to! } : {}),
          participants: JSON.parse(r.participants ?? "[]") as Attendance["participants"],
        },
      }
    : {}),
});

export class RcpStore {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Idempotent per command message: the same `!rcp` handled again finds its meeting. */
  schedule(m: { caseCode: string; roomId: string; scheduledBy: string; commandEvent: string; startsAt: number; durationMin: number }): { record: RcpRecord; created: boolean } {
    const existing = this.db.prepare("SELECT * FROM care_rcp WHERE command_event = ?").get(m.commandEvent) as RcpRow | undefined;
    if (existing) return { record: toRecord(existing), created: false };
    const { lastInsertRowid } = this.db
      .prepare("INSERT INTO care_rcp (case_code, room_id, scheduled_by, command_event, starts_at, duration_min, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run(m.caseCode, m.roomId, m.scheduledBy, m.commandEvent, m.startsAt, m.durationMin, this.clock.now());
    return { record: this.get(Number(lastInsertRowid))!, created: true };
  }

  get(id: number): RcpRecord | undefined {
    const row = this.db.prepare("SELECT * FROM care_rcp WHERE id = ?").get(id) as RcpRow | undefined;
    return row && toRecord(row);
  }

  /** Meetings of a room, soonest first. */
  ofRoom(roomId: string): RcpRecord[] {
    return (this.db.prepare("SELECT * FROM care_rcp WHERE room_id = ? ORDER BY starts_at, id").all(roomId) as RcpRow[]).map(toRecord);
  }

  markInvited(id: number, eventId: string): void {
    this.db.prepare("UPDATE care_rcp SET invitation_event = ? WHERE id = ?").run(eventId, id);
  }

  markReminded(id: number): void {
    this.db.prepare("UPDATE care_rcp SET reminded_at = ? WHERE id = ?").run(this.clock.now(), id);
  }

  recordAttendance(id: number, a: Attendance): void {
    this.db
      .prepare("UPDATE care_rcp SET attended_from = ?, attended_to = ?, participants = ?, recorded_at = ? WHERE id = ?")
      .run(a.startedAt ?? null, a.endedAt ?? null, JSON.stringify(a.participants), this.clock.now(), id);
  }

  /** One call membership state event; the same event seen again (a resync) is kept once. */
  observeCallMembership(eventId: string, roomId: string, o: CallMembershipObservation): void {
    this.db
      .prepare("INSERT OR IGNORE INTO care_call_memberships (event_id, room_id, user_id, device_id, at, joined) VALUES (?, ?, ?, ?, ?, ?)")
      .run(eventId, roomId, o.userId, o.deviceId, o.at, o.joined ? 1 : 0);
  }

  callMemberships(roomId: string, until: number): CallMembershipObservation[] {
    return (this.db.prepare("SELECT user_id, device_id, at, joined FROM care_call_memberships WHERE room_id = ? AND at <= ? ORDER BY at").all(roomId, until) as { user_id: string; device_id: string; at: number; joined: number }[]).map(
      (r) => ({ userId: r.user_id, deviceId: r.device_id, at: r.at, joined: r.joined === 1 }),
    );
  }
}
