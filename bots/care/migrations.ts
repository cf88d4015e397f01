import type { ModuleSchema } from "../core/store/migrations.ts";

/** The tables of care teams (cases, alerts, referrals, téléexpertise, RCP, their effects). Append only: a released migration is never edited, a change is a new version. */
export const CARE_SCHEMA: ModuleSchema = {
  module: "care",
  migrations: [
    {
      version: 1,
      legacyVersion: 17,
      name: "patient cases (pseudonymous label and room), their teams, team alerts, guided exchanges in progress",
      sql: `
        CREATE TABLE care_cases (
          code TEXT PRIMARY KEY,
          status TEXT NOT NULL,
          state TEXT NOT NULL,
          room_id TEXT,
          opened_by_event TEXT NOT NULL UNIQUE,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE INDEX care_cases_room ON care_cases (room_id);
        CREATE TABLE care_case_members (
          case_code TEXT NOT NULL REFERENCES care_cases (code),
          user_id TEXT NOT NULL,
          role TEXT NOT NULL CHECK (role IN ('manager', 'member')),
          invited_by TEXT NOT NULL,
          invited_at INTEGER NOT NULL,
          removed_at INTEGER,
          PRIMARY KEY (case_code, user_id)
        );
        CREATE INDEX care_case_members_user ON care_case_members (user_id);
        CREATE TABLE care_alerts (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          case_code TEXT NOT NULL REFERENCES care_cases (code),
          raised_by_event TEXT NOT NULL UNIQUE,
          status TEXT NOT NULL,
          state TEXT NOT NULL,
          message TEXT,
          alert_event_id TEXT,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE INDEX care_alerts_event ON care_alerts (alert_event_id);
        CREATE INDEX care_alerts_case ON care_alerts (case_code, status);
        CREATE TABLE care_prompts (
          user_id TEXT NOT NULL,
          room_id TEXT NOT NULL,
          kind TEXT NOT NULL,
          payload TEXT NOT NULL,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (user_id, room_id)
        );
      `,
    },
    {
      version: 2,
      legacyVersion: 18,
      name: "referrals (adressage) with their timestamped state; the reason is kept only until the target has it",
      sql: `
        CREATE TABLE care_referrals (
          code TEXT PRIMARY KEY,
          status TEXT NOT NULL,
          state TEXT NOT NULL,
          sender TEXT NOT NULL,
          target TEXT NOT NULL,
          origin_room_id TEXT NOT NULL,
          reason TEXT,
          notification_room_id TEXT,
          notification_event_id TEXT,
          case_code TEXT,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE INDEX care_referrals_notification ON care_referrals (notification_event_id);
        CREATE INDEX care_referrals_sender ON care_referrals (sender, created_at);
        CREATE INDEX care_referrals_target ON care_referrals (target, status);
      `,
    },
    {
      version: 3,
      legacyVersion: 19,
      name: "téléexpertise requests (the question kept only while open), experts notified, files the requester attached",
      sql: `
        CREATE TABLE care_expertise (
          code TEXT PRIMARY KEY,
          status TEXT NOT NULL,
          state TEXT NOT NULL,
          requester TEXT NOT NULL,
          origin_room_id TEXT NOT NULL,
          question TEXT,
          room_id TEXT,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE INDEX care_expertise_created ON care_expertise (created_at);
        CREATE INDEX care_expertise_room ON care_expertise (room_id);
        CREATE TABLE care_expertise_notifications (
          code TEXT NOT NULL REFERENCES care_expertise (code),
          user_id TEXT NOT NULL,
          room_id TEXT NOT NULL,
          event_id TEXT NOT NULL,
          notified_at INTEGER NOT NULL,
          PRIMARY KEY (code, user_id)
        );
        CREATE INDEX care_expertise_notifications_event ON care_expertise_notifications (event_id);
        CREATE TABLE care_expertise_attachments (
          code TEXT NOT NULL REFERENCES care_expertise (code),
          event_id TEXT NOT NULL,
          posted_at INTEGER NOT NULL,
          PRIMARY KEY (code, event_id)
        );
      `,
    },
    {
      version: 4,
      legacyVersion: 20,
      name: "outbox of the effects of every case, alert, referral and téléexpertise transition",
      sql: `
        CREATE TABLE care_effects (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          subject TEXT NOT NULL,
          effect TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          done_at INTEGER,
          attempts INTEGER NOT NULL DEFAULT 0,
          last_error TEXT
        );
        CREATE INDEX care_effects_pending ON care_effects (done_at, id);
      `,
    },
    {
      version: 5,
      legacyVersion: 22,
      name: "video meetings (RCP, téléconsultation) of case rooms and the call memberships that record who took part",
      sql: `
        CREATE TABLE care_rcp (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          case_code TEXT NOT NULL REFERENCES care_cases (code),
          room_id TEXT NOT NULL,
          scheduled_by TEXT NOT NULL,
          command_event TEXT NOT NULL UNIQUE,
          starts_at INTEGER NOT NULL,
          duration_min INTEGER NOT NULL,
          invitation_event TEXT,
          reminded_at INTEGER,
          attended_from INTEGER,
          attended_to INTEGER,
          participants TEXT,
          recorded_at INTEGER,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX care_rcp_room ON care_rcp (room_id, starts_at);
        CREATE TABLE care_call_memberships (
          event_id TEXT PRIMARY KEY,
          room_id TEXT NOT NULL,
          user_id TEXT NOT NULL,
          device_id TEXT NOT NULL,
          at INTEGER NOT NULL,
          joined INTEGER NOT NULL CHECK (joined IN (0, 1))
        );
        CREATE INDEX care_call_memberships_room ON care_call_memberships (room_id, at);
      `,
    },
  ],
};
