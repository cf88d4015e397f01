import type { ModuleSchema } from "../../bots/core/store/migrations.ts";

/** The tables of the MSSanté bridge (inbound ledger, threads, outbox, case links, rooms). Append only: a released migration is never edited, a change is a new version. */
export const MSSANTE_SCHEMA: ModuleSchema = {
  module: "mssante",
  migrations: [
    {
      version: 1,
      legacyVersion: 13,
      name: "ledger of received mails (by mailbox, UIDVALIDITY and UID, and by Message-ID), the Matrix events of each, and where every bridged mail sits in Matrix",
      sql: `
        CREATE TABLE mssante_inbound (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          mailbox TEXT NOT NULL,
          message_id TEXT NOT NULL,
          content_sha256 TEXT NOT NULL,
          uid_validity INTEGER NOT NULL,
          uid INTEGER NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('posting', 'posted', 'done')),
          route TEXT,
          room_id TEXT,
          event_id TEXT,
          received_at INTEGER NOT NULL,
          posted_at INTEGER,
          done_at INTEGER,
          UNIQUE (mailbox, message_id, content_sha256)
        );
        CREATE INDEX mssante_inbound_uid ON mssante_inbound (mailbox, uid_validity, uid);
        CREATE INDEX mssante_inbound_status ON mssante_inbound (status);
        CREATE TABLE mssante_inbound_events (
          inbound_id INTEGER NOT NULL REFERENCES mssante_inbound (id),
          part INTEGER NOT NULL,
          event_id TEXT NOT NULL,
          PRIMARY KEY (inbound_id, part)
        );
        CREATE TABLE mssante_threads (
          mailbox TEXT NOT NULL,
          message_id TEXT NOT NULL,
          room_id TEXT NOT NULL,
          event_id TEXT NOT NULL,
          root_event_id TEXT NOT NULL,
          direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
          created_at INTEGER NOT NULL,
          PRIMARY KEY (mailbox, message_id)
        );
        CREATE INDEX mssante_threads_message ON mssante_threads (message_id);
        CREATE INDEX mssante_threads_event ON mssante_threads (room_id, event_id);
        CREATE INDEX mssante_threads_root ON mssante_threads (room_id, root_event_id);
      `,
    },
    {
      version: 2,
      legacyVersion: 14,
      name: "outbox of mails written in Matrix (drafts being composed, queued, sent, failed) and the events each is made of",
      sql: `
        CREATE TABLE mssante_outbox (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          mailbox TEXT NOT NULL,
          room_id TEXT NOT NULL,
          thread_root_id TEXT NOT NULL,
          sender TEXT NOT NULL,
          message_id TEXT NOT NULL UNIQUE,
          recipients TEXT NOT NULL,
          answers_event_id TEXT,
          command_event_id TEXT,
          status TEXT NOT NULL CHECK (status IN ('composing', 'queued', 'sent', 'failed')),
          due_at INTEGER NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          last_error TEXT,
          delay_notice_event_id TEXT,
          created_at INTEGER NOT NULL,
          sent_at INTEGER
        );
        CREATE UNIQUE INDEX mssante_outbox_composing ON mssante_outbox (room_id, thread_root_id, sender) WHERE status = 'composing';
        CREATE INDEX mssante_outbox_due ON mssante_outbox (status, due_at);
        CREATE TABLE mssante_outbox_parts (
          outbox_id INTEGER NOT NULL REFERENCES mssante_outbox (id),
          event_id TEXT NOT NULL,
          position INTEGER NOT NULL,
          PRIMARY KEY (outbox_id, event_id)
        );
      `,
    },
    {
      version: 3,
      legacyVersion: 15,
      name: "case rooms linked to a patient (keyed HMAC of the identifier, never the identifier) or a case tag; the bridge's own rooms",
      sql: `
        CREATE TABLE mssante_case_links (
          kind TEXT NOT NULL CHECK (kind IN ('patient', 'tag')),
          key TEXT NOT NULL,
          room_id TEXT NOT NULL,
          linked_by TEXT NOT NULL,
          linked_at INTEGER NOT NULL,
          PRIMARY KEY (kind, key)
        );
        CREATE INDEX mssante_case_links_room ON mssante_case_links (room_id);
        CREATE TABLE mssante_rooms (
          key TEXT PRIMARY KEY,
          room_id TEXT NOT NULL,
          created_at INTEGER NOT NULL
        );
      `,
    },
  ],
};
