import type { Clock } from "../../core/clock.ts";
import type { Db } from "../../core/store/database.ts";
import { applyAlertEvent, raiseAlert, type AlertConfig, type AlertEvent, type AlertState, type AlertTransition } from "../domain/alert.ts";
import { applyCaseEvent, openCase, type CaseEvent, type CaseState, type CaseTransition, type NewCase } from "../domain/care-case.ts";
import type { CaseCode, UserId } from "../domain/ids.ts";
import type { CareOutbox } from "./outbox.ts";

export interface CaseRecord {
  readonly state: CaseState;
  readonly roomId: string | undefined;
  /** The message (or referral) that opened it: the same one handled again finds it. */
  readonly openedByEvent: string;
}

export interface TeamMember {
  readonly userId: UserId;
  readonly role: "manager" | "member";
  readonly invitedBy: UserId;
  readonly invitedAt: number;
}

interface CaseRow { state: string; room_id: string | null; opened_by_event: string }

const toRecord = (row: CaseRow): CaseRecord => ({ state: JSON.parse(row.state) as CaseState, roomId: row.room_id ?? undefined, openedByEvent: row.opened_by_event });

/**
 * Cases, their teams and their alerts in SQLite. Each transition and its effects are written
 * in one immediate transaction (the outbox), so concurrent commands apply one after the other
 * and a crash never loses an effect.
 */
export class CaseStore {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly outbox: CareOutbox;
  private readonly retentionMs: number;
  private readonly alertConfig: AlertConfig;

  constructor(db: Db, clock: Clock, outbox: CareOutbox, config: { retentionMs: number; alert: AlertConfig }) {
    this.db = db;
    this.clock = clock;
    this.outbox = outbox;
    this.retentionMs = config.retentionMs;
    this.alertConfig = config.alert;
  }

  /** Opens a case with its creator as manager and its first members; `alongside` runs in the same transaction. */
  open(input: NewCase, openedByEvent: string, alongside?: () => void): CaseTransition {
    return this.db.transaction((): CaseTransition => {
      const now = this.clock.now();
      const transition = openCase(input, now);
      this.db
        .prepare("INSERT INTO care_cases (code, status, state, opened_by_event, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")
        .run(input.code, transition.state.status, JSON.stringify(transition.state), openedByEvent, now, now);
      this.addMember(input.code, input.createdBy, "manager", input.createdBy);
      for (const member of input.members) if (member !== input.createdBy) this.addMember(input.code, member, "member", input.createdBy);
      alongside?.();
      this.outbox.enqueue("case", input.code, transition.effects);
      return transition;
    }).immediate();
  }

  apply(code: CaseCode, event: CaseEvent): CaseTransition {
    return this.db.transaction((): CaseTransition => {
      const current = this.get(code);
      if (!current) throw new Error(`unknown case ${code}`);
      const transition = applyCaseEvent(current.state, event, this.retentionMs);
      if (transition.state !== current.state) this.save(transition.state);
      this.outbox.enqueue("case", code, transition.effects);
      if (transition.state.status !== "open" && current.state.status === "open") {
        for (const alert of this.openAlerts(code)) this.applyAlert(alert.id, { type: "cancel", at: this.clock.now() });
      }
      return transition;
    }).immediate();
  }

  get(code: CaseCode): CaseRecord | undefined {
    const row = this.db.prepare("SELECT state, room_id, opened_by_event FROM care_cases WHERE code = ?").get(code) as CaseRow | undefined;
    return row && toRecord(row);
  }

  byRoom(roomId: string): CaseRecord | undefined {
    const row = this.db.prepare("SELECT state, room_id, opened_by_event FROM care_cases WHERE room_id = ?").get(roomId) as CaseRow | undefined;
    return row && toRecord(row);
  }

  byOpeningEvent(eventId: string): CaseRecord | undefined {
    const row = this.db.prepare("SELECT state, room_id, opened_by_event FROM care_cases WHERE opened_by_event = ?").get(eventId) as CaseRow | undefined;
    return row && toRecord(row);
  }

  setRoom(code: CaseCode, roomId: string): void {
    this.db.prepare("UPDATE care_cases SET room_id = ?, updated_at = ? WHERE code = ?").run(roomId, this.clock.now(), code);
  }

  /** Cases this person was ever invited to and not removed from (the homeserver says whether they are still there). */
  casesOf(userId: string): CaseRecord[] {
    const rows = this.db
      .prepare(
        `SELECT c.state, c.room_id, c.opened_by_event FROM care_case_members m JOIN care_cases c ON c.code = m.case_code
         WHERE m.user_id = ? AND m.removed_at IS NULL AND c.status != 'archived' ORDER BY c.created_at DESC`,
      )
      .all(userId) as CaseRow[];
    return rows.map(toRecord);
  }

  /** Records an invitation (idempotent); a person removed before and invited again is a member again. */
  addMember(code: CaseCode, userId: UserId, role: "manager" | "member", invitedBy: UserId): void {
    this.db
      .prepare(
        `INSERT INTO care_case_members (case_code, user_id, role, invited_by, invited_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (case_code, user_id) DO UPDATE SET removed_at = NULL, role = CASE WHEN excluded.role = 'manager' THEN 'manager' ELSE care_case_members.role END`,
      )
      .run(code, userId, role, invitedBy, this.clock.now());
  }

  markRemoved(code: CaseCode, userId: UserId): void {
    this.db.prepare("UPDATE care_case_members SET removed_at = ?, role = 'member' WHERE case_code = ? AND user_id = ?").run(this.clock.now(), code, userId);
  }

  member(code: CaseCode, userId: string): TeamMember | undefined {
    return this.members(code).find((m) => m.userId === userId);
  }

  members(code: CaseCode): TeamMember[] {
    const rows = this.db
      .prepare("SELECT user_id, role, invited_by, invited_at FROM care_case_members WHERE case_code = ? AND removed_at IS NULL ORDER BY invited_at, rowid")
      .all(code) as { user_id: string; role: "manager" | "member"; invited_by: string; invited_at: number }[];
    return rows.map((r) => ({ userId: r.user_id as UserId, role: r.role, invitedBy: r.invited_by as UserId, invitedAt: r.invited_at }));
  }

  isManager(code: CaseCode, userId: string): boolean {
    return this.member(code, userId)?.role === "manager";
  }

  // --- alerts -----------------------------------------------------------------------------

  /** Raises an alert once per command message; `message` is kept only until it is posted. */
  raiseAlert(code: CaseCode, raisedBy: UserId, raisedByEvent: string, message: string): { alert: AlertState; created: boolean } {
    return this.db.transaction(() => {
      const existing = this.alertByRaisingEvent(raisedByEvent);
      if (existing) return { alert: existing, created: false };
      const now = this.clock.now();
      const id = Number(
        this.db
          .prepare("INSERT INTO care_alerts (case_code, raised_by_event, status, state, message, created_at, updated_at) VALUES (?, ?, 'raised', '{}', ?, ?, ?)")
          .run(code, raisedByEvent, message, now, now).lastInsertRowid,
      );
      const transition = raiseAlert({ id, caseCode: code, raisedBy }, now, this.alertConfig);
      this.saveAlert(transition.state);
      this.outbox.enqueue("alert", String(id), transition.effects);
      return { alert: transition.state, created: true };
    }).immediate();
  }

  applyAlert(id: number, event: AlertEvent): AlertTransition {
    return this.db.transaction((): AlertTransition => {
      const current = this.alert(id);
      if (!current) throw new Error(`unknown alert ${id}`);
      const transition = applyAlertEvent(current, event, this.alertConfig);
      if (transition.state !== current) this.saveAlert(transition.state);
      this.outbox.enqueue("alert", String(id), transition.effects);
      return transition;
    }).immediate();
  }

  alert(id: number): AlertState | undefined {
    const row = this.db.prepare("SELECT state FROM care_alerts WHERE id = ?").get(id) as { state: string } | undefined;
    return row && (JSON.parse(row.state) as AlertState);
  }

  alertByRaisingEvent(eventId: string): AlertState | undefined {
    const row = this.db.prepare("SELECT state FROM care_alerts WHERE raised_by_event = ?").get(eventId) as { state: string } | undefined;
    return row && (JSON.parse(row.state) as AlertState);
  }

  alertByMessage(eventId: string): AlertState | undefined {
    const row = this.db.prepare("SELECT state FROM care_alerts WHERE alert_event_id = ?").get(eventId) as { state: string } | undefined;
    return row && (JSON.parse(row.state) as AlertState);
  }

  alertMessage(id: number): { text: string | undefined; eventId: string | undefined } {
    const row = this.db.prepare("SELECT message, alert_event_id FROM care_alerts WHERE id = ?").get(id) as { message: string | null; alert_event_id: string | null };
    return { text: row.message ?? undefined, eventId: row.alert_event_id ?? undefined };
  }

  /** The alert is in the room: its text is no longer kept here. */
  alertPosted(id: number, eventId: string): void {
    this.db.prepare("UPDATE care_alerts SET alert_event_id = ?, message = NULL, updated_at = ? WHERE id = ?").run(eventId, this.clock.now(), id);
  }

  private openAlerts(code: CaseCode): AlertState[] {
    return (this.db.prepare("SELECT state FROM care_alerts WHERE case_code = ? AND status = 'raised'").all(code) as { state: string }[]).map((r) => JSON.parse(r.state) as AlertState);
  }

  private saveAlert(state: AlertState): void {
    this.db.prepare("UPDATE care_alerts SET status = ?, state = ?, updated_at = ? WHERE id = ?").run(state.status, JSON.stringify(state), this.clock.now(), state.id);
  }

  private save(state: CaseState): void {
    this.db.prepare("UPDATE care_cases SET status = ?, state = ?, updated_at = ? WHERE code = ?").run(state.status, JSON.stringify(state), this.clock.now(), state.code);
  }
}
