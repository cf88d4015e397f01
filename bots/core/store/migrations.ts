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
];
