// Referrals (adressages), téléexpertise requests and video meetings held (RCP), counted from
// the care bot's tables (migrations 18, 19 and 21) when they are in the shared database; without them the console says
// there is no data yet rather than showing a misleading zero.
import type { Db } from "../core/store/database.ts";

export interface CareCounts {
  /** undefined: the care bot's table is not there (not installed yet). */
  readonly referrals: number | undefined;
  readonly teleexpertise: number | undefined;
  /** RCP and téléconsultations someone joined, by the time the call started. */
  readonly videoMeetings: number | undefined;
}

interface CountedTable {
  readonly table: string;
  /** Epoch milliseconds the case was opened (the call started, for meetings; NULL: never held). */
  readonly timeColumn: string;
}

export const CARE_TABLES: { readonly referrals: CountedTable; readonly teleexpertise: CountedTable; readonly videoMeetings: CountedTable } = {
  referrals: { table: "care_referrals", timeColumn: "created_at" },
  teleexpertise: { table: "care_expertise", timeColumn: "created_at" },
  videoMeetings: { table: "care_rcp", timeColumn: "attended_from" },
};

export class CareActivity {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** Cases opened in [from, to). */
  countsBetween(from: number, to: number): CareCounts {
    return {
      referrals: this.count(CARE_TABLES.referrals, from, to),
      teleexpertise: this.count(CARE_TABLES.teleexpertise, from, to),
      videoMeetings: this.count(CARE_TABLES.videoMeetings, from, to),
    };
  }

  private count({ table, timeColumn }: CountedTable, from: number, to: number): number | undefined {
    const columns = this.db.prepare("SELECT name FROM pragma_table_info(?)").pluck().all(table) as string[];
    if (!columns.includes(timeColumn)) return undefined;
    // Names come from CARE_TABLES above, never from a request.
    return this.db.prepare(`SELECT COUNT(*) FROM "${table}" WHERE "${timeColumn}" >= ? AND "${timeColumn}" < ?`).pluck().get(from, to) as number;
  }
}
