import { describe, expect, it } from "vitest";
import type { Clock } from "../clock.ts";
import { migrate, openDatabase } from "./database.ts";
import { BotRooms } from "./bot-rooms.ts";
import { EventLedger } from "./event-ledger.ts";
import { UnverifiedSessionNotices } from "./unverified-session-notices.ts";
import { UserPreferences } from "./user-preferences.ts";
import { VerifiedMembers } from "./verified-members.ts";

const clock: Clock = { now: () => 1_000 };

describe("database migrations", () => {
  it("applies each migration once, in order, and records it", () => {
    const db = openDatabase(":memory:", [
      {
        module: "test",
        migrations: [
          { version: 2, name: "second", sql: "ALTER TABLE t ADD COLUMN b TEXT" },
          { version: 1, name: "first", sql: "CREATE TABLE t (a TEXT)" },
        ],
      },
    ]);
    migrate(db, [
      {
        module: "test",
        migrations: [
          { version: 1, name: "first", sql: "CREATE TABLE t (a TEXT)" },
          { version: 2, name: "second", sql: "ALTER TABLE t ADD COLUMN b TEXT" },
        ],
      },
    ]);
    const applied = db.prepare("SELECT version FROM schema_migrations WHERE module = 'test' ORDER BY version").all() as { version: number }[];
    expect(applied.map((r) => r.version)).toEqual([1, 2]);
    db.prepare("INSERT INTO t (a, b) VALUES ('x', 'y')").run();
  });

  it("rolls back a failing migration entirely", () => {
    const db = openDatabase(":memory:", []);
    expect(() => migrate(db, [{ module: "test", migrations: [{ version: 1, name: "bad", sql: "CREATE TABLE ok (a TEXT); CREATE TABLE broken (" }] }])).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'ok'").get()).toBeUndefined();
    expect(db.prepare("SELECT COUNT(*) AS n FROM schema_migrations WHERE module = 'test'").get()).toEqual({ n: 0 });
  });
});

describe("EventLedger", () => {
  it("claims an event once, resumes an unfinished one, and skips a finished one", () => {
    const db = openDatabase(":memory:");
    const ledger = new EventLedger(db, "accueil", clock);
    expect(ledger.claim("$a", "!r")).toBe("new");
    expect(ledger.claim("$a", "!r")).toBe("resume");
    ledger.complete("$a", "ok", "$reply");
    expect(ledger.claim("$a", "!r")).toBe("done");
    expect(ledger.countDone()).toBe(1);
  });

  it("keeps each bot's ledger apart", () => {
    const db = openDatabase(":memory:");
    new EventLedger(db, "accueil", clock).complete("$a", "ok", null);
    new EventLedger(db, "accueil", clock).claim("$a", "!r");
    expect(new EventLedger(db, "snp", clock).claim("$a", "!r")).toBe("new");
  });
});

describe("BotRooms", () => {
  it("keeps the earliest join (a later profile change is also a join event)", () => {
    const rooms = new BotRooms(openDatabase(":memory:"), "accueil");
    rooms.recordJoin("!r", 500);
    rooms.recordJoin("!r", 900);
    expect(rooms.joinedAt("!r")).toBe(500);
    rooms.forget("!r");
    expect(rooms.joinedAt("!r")).toBeUndefined();
  });
});

describe("UserPreferences and VerifiedMembers", () => {
  it("stores a language per person", () => {
    const prefs = new UserPreferences(openDatabase(":memory:"), clock);
    expect(prefs.language("@a:x")).toBeUndefined();
    prefs.setLanguage("@a:x", "en");
    prefs.setLanguage("@a:x", "fr");
    expect(prefs.language("@a:x")).toBe("fr");
  });

  it("verifies, deactivates and re-verifies a member", () => {
    const members = new VerifiedMembers(openDatabase(":memory:"), clock);
    expect(members.isVerified("@a:x")).toBe(false);
    members.markVerified("@a:x", "@coord:x");
    expect(members.isVerified("@a:x")).toBe(true);
    members.deactivate("@a:x");
    expect(members.isVerified("@a:x")).toBe(false);
    members.markVerified("@a:x", "@coord:x");
    expect(members.isVerified("@a:x")).toBe(true);
  });
});

describe("UnverifiedSessionNotices", () => {
  it("lets a session be the subject of one notice a day, across bots", () => {
    let now = 1_000;
    const db = openDatabase(":memory:");
    const notices = new UnverifiedSessionNotices(db, { now: () => now });
    expect(notices.claim("@ide:cpts.test", "PHONE")).toBe(true);
    expect(new UnverifiedSessionNotices(db, { now: () => now }).claim("@ide:cpts.test", "PHONE")).toBe(false);
    expect(notices.claim("@ide:cpts.test", "LAPTOP")).toBe(true);
    now += 23 * 3_600_000;
    expect(notices.claim("@ide:cpts.test", "PHONE")).toBe(false);
    now += 3_600_000;
    expect(notices.claim("@ide:cpts.test", "PHONE")).toBe(true);
  });
});
