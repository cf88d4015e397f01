import { describe, expect, it } from "vitest";
import { openDatabase } from "../database.ts";
import { CARE_TABLES, CareActivity } from "./care-activity.ts";

describe("CareActivity", () => {
  it("says there is no data while the care bot's tables are not there", () => {
    const db = openDatabase(":memory:");
    for (const { table } of Object.values(CARE_TABLES)) db.exec(`DROP TABLE IF EXISTS ${table}`);
    expect(new CareActivity(db).countsBetween(0, 10)).toEqual({ referrals: undefined, teleexpertise: undefined, videoMeetings: undefined });
  });

  it("counts the cases opened in the period once the tables exist", () => {
    const db = openDatabase(":memory:");
    // Only the columns the count reads: the care bot owns the rest of its tables.
    for (const { table, timeColumn } of Object.values(CARE_TABLES)) {
      db.exec(`DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (id INTEGER PRIMARY KEY, ${timeColumn} INTEGER NOT NULL)`);
    }
    const insert = db.prepare(`INSERT INTO ${CARE_TABLES.referrals.table} (${CARE_TABLES.referrals.timeColumn}) VALUES (?)`);
    for (const at of [5, 9, 10, 20]) insert.run(at);
    expect(new CareActivity(db).countsBetween(5, 10)).toEqual({ referrals: 2, teleexpertise: 0, videoMeetings: 0 });
  });

  it("counts the video meetings someone joined, by when the call started", () => {
    const db = openDatabase(":memory:");
    const { table, timeColumn } = CARE_TABLES.videoMeetings;
    db.exec(`DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (id INTEGER PRIMARY KEY, ${timeColumn} INTEGER)`);
    const insert = db.prepare(`INSERT INTO ${table} (${timeColumn}) VALUES (?)`);
    for (const at of [6, null, 9, 12]) insert.run(at);
    expect(new CareActivity(db).countsBetween(5, 10).videoMeetings).toBe(2);
  });
});
