import type { ModuleSchema } from "../core/store/migrations.ts";

/** The tables of SNP (requests, their effects, notifications, availability, intakes, rooms, the garde rota, direct chats opened ahead). Append only: a released migration is never edited, a change is a new version. */
export const SNP_SCHEMA: ModuleSchema = {
  module: "snp",
  migrations: [
    {
      version: 1,
      legacyVersion: 10,
      name: "requests and the outbox of their effects",
      sql: `
        CREATE TABLE snp_requests (
          id TEXT PRIMARY KEY,
          status TEXT NOT NULL,
          state TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE INDEX snp_requests_status ON snp_requests (status);
        CREATE TABLE snp_effects (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          request_id TEXT NOT NULL REFERENCES snp_requests (id),
          effect TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          done_at INTEGER
        );
        CREATE INDEX snp_effects_pending ON snp_effects (done_at, id);
      `,
    },
    {
      version: 2,
      legacyVersion: 11,
      name: "what the chat adapter keeps beside a request (origin, pseudonymised summary, rooms), candidates' notifications, availability, guided intakes",
      sql: `
        CREATE TABLE snp_request_meta (
          request_id TEXT PRIMARY KEY REFERENCES snp_requests (id),
          origin_room_id TEXT NOT NULL,
          summary TEXT NOT NULL,
          case_room_id TEXT,
          escalation_event_id TEXT
        );
        CREATE INDEX snp_request_meta_escalation ON snp_request_meta (escalation_event_id);
        CREATE TABLE snp_notifications (
          request_id TEXT NOT NULL REFERENCES snp_requests (id),
          user_id TEXT NOT NULL,
          room_id TEXT NOT NULL,
          event_id TEXT NOT NULL,
          notified_at INTEGER NOT NULL,
          PRIMARY KEY (request_id, user_id)
        );
        CREATE INDEX snp_notifications_event ON snp_notifications (event_id);
        ALTER TABLE snp_effects ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE snp_effects ADD COLUMN last_error TEXT;
        CREATE TABLE snp_availability (
          user_id TEXT PRIMARY KEY,
          available INTEGER NOT NULL CHECK (available IN (0, 1)),
          updated_at INTEGER NOT NULL
        );
        CREATE TABLE snp_intake_sessions (
          user_id TEXT NOT NULL,
          room_id TEXT NOT NULL,
          step INTEGER NOT NULL,
          draft TEXT NOT NULL,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (user_id, room_id)
        );
        CREATE TABLE snp_rooms (
          key TEXT PRIMARY KEY,
          room_id TEXT NOT NULL,
          created_at INTEGER NOT NULL
        );
      `,
    },
    {
      version: 3,
      legacyVersion: 12,
      name: "the on-call rota (garde); removal is soft so past shifts stay for the indicators",
      sql: `
        CREATE TABLE garde_shifts (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          user_id TEXT NOT NULL,
          starts_at INTEGER NOT NULL,
          ends_at INTEGER NOT NULL CHECK (ends_at > starts_at),
          label TEXT,
          created_by TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          removed_at INTEGER,
          removed_by TEXT,
          CHECK ((removed_at IS NULL) = (removed_by IS NULL))
        );
        CREATE INDEX garde_shifts_current ON garde_shifts (ends_at, starts_at) WHERE removed_at IS NULL;
      `,
    },
    {
      version: 4,
      name: "direct chats opened ahead of requests with the members of the SNP pool, and their welcome notice",
      sql: `
        CREATE TABLE snp_direct_chat_welcomes (
          user_id TEXT PRIMARY KEY,
          status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'existing', 'declined')),
          room_id TEXT,
          event_id TEXT,
          updated_at INTEGER NOT NULL
        );
      `,
    },
  ],
};
