import type { Db } from "../../core/store/database.ts";
import type { AgeBand, EligibilityCriterion, GpStatus, RequestId, SnpCareMode, UserId } from "../domain/index.ts";

/** What candidates read about a request: enough to decide, nothing that names the patient. */
export interface SnpSummary {
  /** The profession as the requester typed it ("IDE"). */
  readonly professionWord: string;
  readonly communeName: string;
  readonly careDelayHours: number;
  readonly modes: readonly SnpCareMode[];
  readonly need: string;
  readonly ageBand: AgeBand;
  readonly gp: GpStatus;
  readonly criteria: readonly EligibilityCriterion[];
  readonly usualProfessional?: UserId;
}

export interface RequestMeta {
  readonly requestId: RequestId;
  /** Where the request was opened (the regulation room or the requester's DM with the bot): news go there. */
  readonly originRoomId: string;
  readonly summary: SnpSummary;
  readonly caseRoomId?: string;
  readonly escalationEventId?: string;
}

export interface Notification {
  readonly requestId: RequestId;
  readonly userId: UserId;
  readonly roomId: string;
  readonly eventId: string;
}

interface MetaRow {
  request_id: string;
  origin_room_id: string;
  summary: string;
  case_room_id: string | null;
  escalation_event_id: string | null;
}

function toMeta(row: MetaRow): RequestMeta {
  return {
    requestId: row.request_id as RequestId,
    originRoomId: row.origin_room_id,
    summary: JSON.parse(row.summary) as SnpSummary,
    ...(row.case_room_id ? { caseRoomId: row.case_room_id } : {}),
    ...(row.escalation_event_id ? { escalationEventId: row.escalation_event_id } : {}),
  };
}

/** The chat side of a request: where it came from, its summary, its rooms, and who was sent which message. */
export class RequestMetaStore {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** Written in the transaction that opens the request (see SnpStore.open). */
  insert(meta: RequestMeta): void {
    this.db
      .prepare("INSERT INTO snp_request_meta (request_id, origin_room_id, summary) VALUES (?, ?, ?)")
      .run(meta.requestId, meta.originRoomId, JSON.stringify(meta.summary));
  }

  get(requestId: RequestId): RequestMeta | undefined {
    const row = this.db.prepare("SELECT * FROM snp_request_meta WHERE request_id = ?").get(requestId) as MetaRow | undefined;
    return row && toMeta(row);
  }

  setCaseRoom(requestId: RequestId, roomId: string): void {
    this.db.prepare("UPDATE snp_request_meta SET case_room_id = ? WHERE request_id = ?").run(roomId, requestId);
  }

  setEscalationEvent(requestId: RequestId, eventId: string): void {
    this.db.prepare("UPDATE snp_request_meta SET escalation_event_id = ? WHERE request_id = ?").run(eventId, requestId);
  }

  byEscalationEvent(eventId: string): RequestMeta | undefined {
    const row = this.db.prepare("SELECT * FROM snp_request_meta WHERE escalation_event_id = ?").get(eventId) as MetaRow | undefined;
    return row && toMeta(row);
  }

  recordNotification(n: Notification, at: number): void {
    this.db
      .prepare("INSERT INTO snp_notifications (request_id, user_id, room_id, event_id, notified_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
      .run(n.requestId, n.userId, n.roomId, n.eventId, at);
  }

  notification(requestId: RequestId, userId: string): Notification | undefined {
    const row = this.db.prepare("SELECT request_id, user_id, room_id, event_id FROM snp_notifications WHERE request_id = ? AND user_id = ?").get(requestId, userId) as
      | { request_id: string; user_id: string; room_id: string; event_id: string }
      | undefined;
    return row && { requestId: row.request_id as RequestId, userId: row.user_id as UserId, roomId: row.room_id, eventId: row.event_id };
  }

  notificationByEvent(eventId: string): Notification | undefined {
    const row = this.db.prepare("SELECT request_id, user_id, room_id, event_id FROM snp_notifications WHERE event_id = ?").get(eventId) as
      | { request_id: string; user_id: string; room_id: string; event_id: string }
      | undefined;
    return row && { requestId: row.request_id as RequestId, userId: row.user_id as UserId, roomId: row.room_id, eventId: row.event_id };
  }
}
