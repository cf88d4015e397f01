import type { Clock } from "../../core/clock.ts";
import type { Db } from "../../core/store/database.ts";
import type { UserId } from "../domain/ids.ts";
import { onDutyAt, overlapping, shiftId, type Shift, type ShiftDraft, type ShiftId } from "./shifts.ts";

interface ShiftRow {
  id: number;
  user_id: string;
  starts_at: number;
  ends_at: number;
  label: string | null;
}

const COLUMNS = "id, user_id, starts_at, ends_at, label";
const ORDER = "ORDER BY starts_at, id";

/**
 * The on-call rota in SQLite (table garde_shifts). A removed shift keeps its row with who
 * removed it and when: the history stays for the indicators; every read below ignores it.
 */
export class GardeRota {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Records the shift; `overlaps` are the shifts it shares time with, for a warning. */
  add(draft: ShiftDraft, by: UserId): { shift: Shift; overlaps: Shift[] } {
    return this.db.transaction(() => {
      const overlaps = overlapping(this.between(draft.startsAt, draft.endsAt), draft);
      const { lastInsertRowid } = this.db
        .prepare("INSERT INTO garde_shifts (user_id, starts_at, ends_at, label, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        .run(draft.userId, draft.startsAt, draft.endsAt, draft.label ?? null, by, this.clock.now());
      return { shift: { ...draft, id: shiftId(Number(lastInsertRowid)) }, overlaps };
    }).immediate();
  }

  /** Removes a current or upcoming shift; undefined when there is none with that id (unknown, over, or already removed). */
  remove(id: ShiftId, by: UserId): Shift | undefined {
    return this.db.transaction(() => {
      const now = this.clock.now();
      const row = this.db.prepare(`SELECT ${COLUMNS} FROM garde_shifts WHERE id = ? AND removed_at IS NULL AND ends_at > ?`).get(id, now) as ShiftRow | undefined;
      if (!row) return undefined;
      this.db.prepare("UPDATE garde_shifts SET removed_at = ?, removed_by = ? WHERE id = ?").run(now, by, id);
      return toShift(row);
    }).immediate();
  }

  /** Everyone on duty at `at`, earliest start first. */
  onDutyAt(at: number): Shift[] {
    return onDutyAt(this.between(at, at + 1), at);
  }

  /** The first shift starting after `at`. */
  nextAfter(at: number): Shift | undefined {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM garde_shifts WHERE removed_at IS NULL AND starts_at > ? ${ORDER} LIMIT 1`).get(at) as ShiftRow | undefined;
    return row && toShift(row);
  }

  /** Shifts not over at `from` (current, then upcoming), by start. */
  upcoming(from: number, limit: number): Shift[] {
    const rows = this.db.prepare(`SELECT ${COLUMNS} FROM garde_shifts WHERE removed_at IS NULL AND ends_at > ? ${ORDER} LIMIT ?`).all(from, limit) as ShiftRow[];
    return rows.map(toShift);
  }

  /** Shifts sharing some time with [from, to), by start. */
  between(from: number, to: number): Shift[] {
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM garde_shifts WHERE removed_at IS NULL AND starts_at < ? AND ends_at > ? ${ORDER}`)
      .all(to, from) as ShiftRow[];
    return rows.map(toShift);
  }
}

function toShift(row: ShiftRow): Shift {
  return {
    id: shiftId(row.id),
    userId: row.user_id as UserId,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    ...(row.label !== null ? { label: row.label } : {}),
  };
}
