import { createHmac } from "node:crypto";
import type { Clock } from "../../../bots/core/clock.ts";
import type { Db } from "../../../bots/core/store/database.ts";
import { normaliseCaseTag } from "../routing/route.ts";

/**
 * Case rooms linked to a patient identifier or a case tag, so that mail about that patient
 * or case goes there. The identifier is kept only as an HMAC under the bridge's patient
 * key: the database alone does not tell which patients the CPTS follows.
 */
export class CaseLinks {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly patientKey: string;

  constructor(db: Db, clock: Clock, patientKey: string) {
    this.db = db;
    this.clock = clock;
    this.patientKey = patientKey;
  }

  linkPatient(patientId: string, roomId: string, linkedBy: string): void {
    this.link("patient", this.patientKeyOf(patientId), roomId, linkedBy);
  }

  linkTag(tag: string, roomId: string, linkedBy: string): void {
    this.link("tag", normaliseCaseTag(tag), roomId, linkedBy);
  }

  roomForPatient(patientId: string): string | undefined {
    return this.roomFor("patient", this.patientKeyOf(patientId));
  }

  roomForTag(tag: string): string | undefined {
    return this.roomFor("tag", normaliseCaseTag(tag));
  }

  /** Closes the case: the room no longer receives mail by patient or tag. Returns how many links were removed. */
  unlinkRoom(roomId: string): number {
    return this.db.prepare("DELETE FROM mssante_case_links WHERE room_id = ?").run(roomId).changes;
  }

  /** What the room is linked to (the patient only as "a patient"). */
  linksOf(roomId: string): { patients: number; tags: string[] } {
    const rows = this.db.prepare("SELECT kind, key FROM mssante_case_links WHERE room_id = ? ORDER BY key").all(roomId) as { kind: string; key: string }[];
    return { patients: rows.filter((r) => r.kind === "patient").length, tags: rows.filter((r) => r.kind === "tag").map((r) => r.key) };
  }

  private link(kind: "patient" | "tag", key: string, roomId: string, linkedBy: string): void {
    this.db
      .prepare(
        `INSERT INTO mssante_case_links (kind, key, room_id, linked_by, linked_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (kind, key) DO UPDATE SET room_id = excluded.room_id, linked_by = excluded.linked_by, linked_at = excluded.linked_at`,
      )
      .run(kind, key, roomId, linkedBy, this.clock.now());
  }

  private roomFor(kind: "patient" | "tag", key: string): string | undefined {
    return (this.db.prepare("SELECT room_id FROM mssante_case_links WHERE kind = ? AND key = ?").get(kind, key) as { room_id: string } | undefined)?.room_id;
  }

  private patientKeyOf(patientId: string): string {
    return createHmac("sha256", this.patientKey).update(patientId.replace(/\s+/g, "")).digest("hex");
  }
}
