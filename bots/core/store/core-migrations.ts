import type { ModuleSchema } from "./migrations.ts";

/** The tables of the bots' shared mechanics (events handled, rooms, preferences, jobs, verified members, sync marks, direct rooms, session notices). Append only: a released migration is never edited, a change is a new version. */
export const CORE_SCHEMA: ModuleSchema = {
  module: "core",
  migrations: [
    {
      version: 1,
      legacyVersion: 1,
      name: "handled events, rooms, user preferences, scheduled jobs, verified members",
      sql: `
        CREATE TABLE handled_events (
          bot_id TEXT NOT NULL,
          event_id TEXT NOT NULL,
          room_id TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('processing', 'done')),
          outcome TEXT,
          reply_event_id TEXT,
          received_at INTEGER NOT NULL,
          completed_at INTEGER,
          PRIMARY KEY (bot_id, event_id)
        );
        CREATE TABLE bot_rooms (
          bot_id TEXT NOT NULL,
          room_id TEXT NOT NULL,
          joined_at INTEGER NOT NULL,
          PRIMARY KEY (bot_id, room_id)
        );
        CREATE TABLE user_preferences (
          user_id TEXT PRIMARY KEY,
          lang TEXT NOT NULL CHECK (lang IN ('fr', 'en')),
          updated_at INTEGER NOT NULL
        );
        CREATE TABLE scheduled_jobs (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          bot_id TEXT NOT NULL,
          kind TEXT NOT NULL,
          due_at INTEGER NOT NULL,
          payload TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
          attempts INTEGER NOT NULL DEFAULT 0,
          last_error TEXT,
          dedupe_key TEXT,
          updated_at INTEGER NOT NULL,
          UNIQUE (bot_id, dedupe_key)
        );
        CREATE INDEX scheduled_jobs_due ON scheduled_jobs (status, due_at);
        CREATE TABLE verified_members (
          user_id TEXT PRIMARY KEY,
          verified_at INTEGER NOT NULL,
          verified_by TEXT NOT NULL,
          active INTEGER NOT NULL DEFAULT 1
        );
      `,
    },
    {
      version: 2,
      legacyVersion: 2,
      name: "time of each bot's last completed sync, to bound the backfill of a gap",
      sql: `
        CREATE TABLE bot_sync_marks (
          bot_id TEXT PRIMARY KEY,
          synced_at INTEGER NOT NULL
        );
      `,
    },
    {
      version: 3,
      legacyVersion: 5,
      name: "each bot's direct-message room with each person",
      sql: `
        CREATE TABLE direct_rooms (
          bot_id TEXT NOT NULL,
          user_id TEXT NOT NULL,
          room_id TEXT NOT NULL,
          PRIMARY KEY (bot_id, user_id)
        );
      `,
    },
    {
      version: 4,
      legacyVersion: 21,
      name: "when each person's unverified session was last told that the bots cannot read it",
      sql: `
        CREATE TABLE unverified_session_notices (
          user_id TEXT NOT NULL,
          device_id TEXT NOT NULL,
          notified_at INTEGER NOT NULL,
          PRIMARY KEY (user_id, device_id)
        );
      `,
    },
  ],
};
