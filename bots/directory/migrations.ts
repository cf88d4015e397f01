import type { ModuleSchema } from "../core/store/migrations.ts";

/** The tables of the directory (Annuaire Santé extract, membership, profiles, search index, community rooms). Append only: a released migration is never edited, a change is a new version. */
export const DIRECTORY_SCHEMA: ModuleSchema = {
  module: "directory",
  migrations: [
    {
      version: 1,
      legacyVersion: 3,
      name: "people, practice sites, savoir-faire and MSSanté addresses from the Annuaire Santé extract; import log",
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
      version: 2,
      legacyVersion: 4,
      name: "the CPTS Space and community rooms, by key",
      sql: `
        CREATE TABLE community_rooms (
          key TEXT PRIMARY KEY,
          room_id TEXT NOT NULL UNIQUE,
          created_at INTEGER NOT NULL
        );
      `,
    },
    {
      version: 3,
      legacyVersion: 6,
      name: "Matrix accounts linked to national identifiers, and membership requests",
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
      version: 4,
      legacyVersion: 7,
      name: "full-text search index over active people (names, profession, savoir-faire, communes, profile text) and the facets it filters and walks by",
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
      version: 5,
      legacyVersion: 8,
      name: "what members add to their card, and guided profile sessions",
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
      version: 6,
      legacyVersion: 9,
      name: "each person's last search, for « !annuaire suite »",
      sql: `
        CREATE TABLE directory_last_searches (
          user_id TEXT PRIMARY KEY,
          query TEXT NOT NULL,
          page INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
      `,
    },
  ],
};
