// What a backup of the local data folder keeps, and in which order, decided from a file's
// path (relative to the data folder, with "/") and whether it is an SQLite database.
// No I/O here: scripts/lib/backup-archive.ts does the copying.

/**
 * SQLite databases are copied with SQLite's online backup API, phase by phase, while the
 * system may be running. The order keeps what each part remembers about the others true:
 *
 * 1. the bots' own state (bots.db with the exactly-once ledger, and each bot's sync store),
 *    first: restored sync positions are then never ahead of the restored homeserver (a bot
 *    would miss events); a position behind it only replays events the ledger already knows;
 * 2. the homeserver's database;
 * 3. the bots' crypto stores, after the homeserver: every one-time key the restored
 *    homeserver still hands out to others is then in the restored store;
 * 4. plain files, last: an uploaded file named in the database snapshot was complete before
 *    its row was written, so it is in the copy (a file written later is an orphan, harmless).
 */
export type BackupPhase = 1 | 2 | 3 | 4;

export type BackupDecision =
  | { readonly action: "skip"; readonly reason: string }
  | { readonly action: "snapshot"; readonly phase: 1 | 2 | 3 }
  | { readonly action: "copy"; readonly phase: 4 };

/** matrix-js-sdk's sync store of a bot (IndexedDB "bot-sync", see bots/core/matrix/open-client.ts). */
const SYNC_STORE = /\^13abot-sync\.sqlite$/;

const SKIPPED: readonly { readonly test: (path: string) => boolean; readonly reason: string }[] = [
  { test: (p) => p.endsWith(".pid"), reason: "pid file of a running process" },
  { test: (p) => /\.log(\.\d+)?$/.test(p), reason: "log" },
  { test: (p) => /-(wal|shm|journal)$/.test(p), reason: "SQLite side file (its database is copied whole)" },
  { test: (p) => p === "synapse/homeserver.yaml" || p === "synapse/log.config.yaml", reason: "written again at every start from synapse-config/" },
  { test: (p) => /^bots\/[^/]+\/crypto\.staging-/.test(p), reason: "an interrupted device creation, discarded at the next start" },
];

export function decide(path: string, isSqlite: boolean): BackupDecision {
  for (const rule of SKIPPED) if (rule.test(path)) return { action: "skip", reason: rule.reason };
  if (!isSqlite) return { action: "copy", phase: 4 };
  if (path.startsWith("synapse/")) return { action: "snapshot", phase: 2 };
  if (/(^|\/)crypto\//.test(path) && !SYNC_STORE.test(path)) return { action: "snapshot", phase: 3 };
  return { action: "snapshot", phase: 1 };
}

/** SQLite's file header: a database is recognised by its content, whatever its name. */
export const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "latin1");
