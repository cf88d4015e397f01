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
  {
    version: 3,
    name: "directory: people, practice sites, savoir-faire and MSSanté addresses from the Annuaire Santé extract; import log",
    sql: `
      CREATE TABLE directory_imports (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at INTEGER NOT NULL,
        finished_at INTEGER NOT NULL,
        files TEXT NOT NULL,
        report TEXT NOT NULL
      );
      CREATE TABLE directory_people (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        national_id TEXT NOT NULL UNIQUE,
        id_type TEXT NOT NULL CHECK (id_type IN ('rpps', 'adeli')),
        identifier TEXT NOT NULL,
        civility_code TEXT NOT NULL,
        civility TEXT NOT NULL,
        practice_civility TEXT NOT NULL,
        last_name TEXT NOT NULL,
        first_name TEXT NOT NULL,
        profession_code TEXT NOT NULL,
        profession TEXT NOT NULL,
        category_code TEXT NOT NULL,
        category TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        first_import_id INTEGER NOT NULL REFERENCES directory_imports (id),
        changed_import_id INTEGER NOT NULL REFERENCES directory_imports (id)
      );
      CREATE INDEX directory_people_identifier ON directory_people (identifier);
      CREATE INDEX directory_people_profession ON directory_people (profession_code, active);
      CREATE TABLE directory_sites (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        person_id INTEGER NOT NULL REFERENCES directory_people (id),
        site_key TEXT NOT NULL,
        mode_code TEXT NOT NULL,
        mode TEXT NOT NULL,
        sector_code TEXT NOT NULL,
        sector TEXT NOT NULL,
        structure_id TEXT NOT NULL,
        structure_name TEXT NOT NULL,
        structure_sign TEXT NOT NULL,
        siret TEXT NOT NULL,
        finess TEXT NOT NULL,
        address TEXT NOT NULL,
        address_extra TEXT NOT NULL,
        postcode TEXT NOT NULL,
        cedex TEXT NOT NULL,
        commune_code TEXT NOT NULL,
        commune TEXT NOT NULL,
        commune_label TEXT NOT NULL,
        country_code TEXT NOT NULL,
        country TEXT NOT NULL,
        phone TEXT NOT NULL,
        phone2 TEXT NOT NULL,
        email TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        changed_import_id INTEGER NOT NULL REFERENCES directory_imports (id),
        UNIQUE (person_id, site_key)
      );
      CREATE INDEX directory_sites_commune ON directory_sites (commune_code, active);
      CREATE TABLE directory_skills (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        person_id INTEGER NOT NULL REFERENCES directory_people (id),
        code TEXT NOT NULL,
        label TEXT NOT NULL,
        type_code TEXT NOT NULL,
        type TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        changed_import_id INTEGER NOT NULL REFERENCES directory_imports (id),
        UNIQUE (person_id, code)
      );
      CREATE INDEX directory_skills_code ON directory_skills (code, active);
      CREATE TABLE directory_mssante (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        person_id INTEGER NOT NULL REFERENCES directory_people (id),
        address TEXT NOT NULL,
        box_type TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        changed_import_id INTEGER NOT NULL REFERENCES directory_imports (id),
        UNIQUE (person_id, address)
      );
      CREATE INDEX directory_mssante_address ON directory_mssante (address);
    `,
  },
  {
    version: 6,
    name: "directory: Matrix accounts linked to national identifiers, and membership requests",
    sql: `
      CREATE TABLE member_links (
        user_id TEXT PRIMARY KEY,
        national_id TEXT NOT NULL UNIQUE,
        linked_at INTEGER NOT NULL,
        linked_by TEXT NOT NULL
      );
      CREATE TABLE membership_requests (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id TEXT NOT NULL,
        national_id TEXT NOT NULL,
        name_matches INTEGER NOT NULL CHECK (name_matches IN (0, 1)),
        status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'refused')),
        coordination_event_id TEXT,
        requested_at INTEGER NOT NULL,
        decided_at INTEGER,
        decided_by TEXT
      );
      CREATE UNIQUE INDEX membership_requests_one_pending ON membership_requests (user_id) WHERE status = 'pending';
      CREATE INDEX membership_requests_event ON membership_requests (coordination_event_id);
    `,
  },
  {
    version: 8,
    name: "directory: what members add to their card, and guided profile sessions",
    sql: `
      CREATE TABLE member_profiles (
        user_id TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE profile_sessions (
        user_id TEXT NOT NULL,
        room_id TEXT NOT NULL,
        step INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, room_id)
      );
    `,
  },
  {
    version: 7,
    name: "directory: full-text search index over active people (names, profession, savoir-faire, communes, profile text) and the facets it filters and walks by",
    sql: `
      CREATE VIRTUAL TABLE directory_search USING fts5 (
        names, profession, skills, communes, profile,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
      );
      CREATE TABLE directory_search_people (
        person_id INTEGER PRIMARY KEY,
        sort_name TEXT NOT NULL
      );
      CREATE TABLE directory_search_facets (
        facet TEXT NOT NULL,
        person_id INTEGER NOT NULL,
        PRIMARY KEY (facet, person_id)
      ) WITHOUT ROWID;
      CREATE INDEX directory_search_facets_person ON directory_search_facets (person_id, facet);
      CREATE TABLE directory_search_sites (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL,
        site_id INTEGER,
        commune_code TEXT NOT NULL,
        profession TEXT NOT NULL,
        sort_name TEXT NOT NULL
      );
      CREATE INDEX directory_search_sites_walk ON directory_search_sites (commune_code, profession, sort_name, person_id);
      CREATE INDEX directory_search_sites_person ON directory_search_sites (person_id);
      CREATE TABLE directory_profile_search_text (
        national_id TEXT PRIMARY KEY,
        text TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE directory_search_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        import_id INTEGER,
        built_at INTEGER NOT NULL,
        generation INTEGER NOT NULL DEFAULT 1
      );
    `,
  },
  {
    version: 9,
    name: "directory: each person's last search, for « !annuaire suite »",
    sql: `
      CREATE TABLE directory_last_searches (
        user_id TEXT PRIMARY KEY,
        query TEXT NOT NULL,
        page INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 10,
    name: "snp: requests and the outbox of their effects",
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
    version: 11,
    name: "snp: what the chat adapter keeps beside a request (origin, pseudonymised summary, rooms), candidates' notifications, availability, guided intakes",
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
    version: 12,
    name: "snp: the on-call rota (garde); removal is soft so past shifts stay for the indicators",
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
    version: 13,
    name: "mssante: ledger of received mails (by mailbox, UIDVALIDITY and UID, and by Message-ID), the Matrix events of each, and where every bridged mail sits in Matrix",
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
    version: 14,
    name: "mssante: outbox of mails written in Matrix (drafts being composed, queued, sent, failed) and the events each is made of",
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
    version: 15,
    name: "mssante: case rooms linked to a patient (keyed HMAC of the identifier, never the identifier) or a case tag; the bridge's own rooms",
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
  {
    version: 17,
    name: "care: patient cases (pseudonymous label and room), their teams, team alerts, guided exchanges in progress",
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
    version: 18,
    name: "care: referrals (adressage) with their timestamped state; the reason is kept only until the target has it",
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
    version: 19,
    name: "care: téléexpertise requests (the question kept only while open), experts notified, files the requester attached",
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
    version: 20,
    name: "care: outbox of the effects of every case, alert, referral and téléexpertise transition",
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
    version: 21,
    name: "core: when each person's unverified session was last told that the bots cannot read it",
    sql: `
      CREATE TABLE unverified_session_notices (
        user_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        notified_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, device_id)
      );
    `,
  },
  {
    version: 22,
    name: "care: video meetings (RCP, téléconsultation) of case rooms and the call memberships that record who took part",
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
];
