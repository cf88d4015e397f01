export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Append only: a released migration is never edited, a change is a new version. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "core: handled events, rooms, user preferences, scheduled jobs, verified members",
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
    name: "core: time of each bot's last completed sync, to bound the backfill of a gap",
    sql: `
      CREATE TABLE bot_sync_marks (
        bot_id TEXT PRIMARY KEY,
        synced_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: "directory: the CPTS Space and community rooms, by key",
    sql: `
      CREATE TABLE community_rooms (
        key TEXT PRIMARY KEY,
        room_id TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: "core: each bot's direct-message room with each person",
    sql: `
      CREATE TABLE direct_rooms (
        bot_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        room_id TEXT NOT NULL,
        PRIMARY KEY (bot_id, user_id)
      );
    `,
  },
];
