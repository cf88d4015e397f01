import { describe, expect, it } from "vitest";
import { openDatabase } from "../../database.ts";
import type { UserId } from "../domain/ids.ts";
import { GardeRota } from "./garde-rota.ts";
import { shiftId } from "./shifts.ts";

const H = 3_600_000;
const T = Date.UTC(2026, 10, 24, 19);
const COORD = "@coord:cpts.test" as UserId;
const u = (name: string) => `@${name}:cpts.test` as UserId;

function setup() {
  const db = openDatabase(":memory:");
  let now = T - 24 * H;
  const clock = { now: () => now };
  const rota = new GardeRota(db, clock);
  return { db, rota, setNow: (t: number) => (now = t) };
}

describe("GardeRota", () => {
  it("stores shifts and answers who is on duty, the next shift, what is upcoming and what falls in a window", () => {
    const { rota } = setup();
    const night = rota.add({ userId: u("anne"), startsAt: T, endsAt: T + 12 * H, label: "nuit" }, COORD).shift;
    const evening = rota.add({ userId: u("marc"), startsAt: T - 2 * H, endsAt: T + 4 * H }, COORD).shift;
    const tomorrow = rota.add({ userId: u("lea"), startsAt: T + 24 * H, endsAt: T + 36 * H }, COORD).shift;
    expect(night).toEqual({ id: 1, userId: u("anne"), startsAt: T, endsAt: T + 12 * H, label: "nuit" });
    expect(evening.id).toBe(2);

    expect(rota.onDutyAt(T + H)).toEqual([evening, night]);
    expect(rota.onDutyAt(T + 12 * H)).toEqual([]);
    expect(rota.nextAfter(T + H)).toEqual(tomorrow);
    expect(rota.nextAfter(T + 24 * H)).toBeUndefined();
    expect(rota.upcoming(T + 5 * H, 10)).toEqual([night, tomorrow]);
    expect(rota.upcoming(T - 5 * H, 2)).toEqual([evening, night]);
    expect(rota.between(T + 4 * H, T + 24 * H)).toEqual([night]);
    expect(rota.between(T + 11 * H, T + 25 * H)).toEqual([night, tomorrow]);
  });

  it("reports the shifts a new one overlaps, and still records it", () => {
    const { rota } = setup();
    const night = rota.add({ userId: u("anne"), startsAt: T, endsAt: T + 12 * H }, COORD).shift;
    const touching = rota.add({ userId: u("marc"), startsAt: T + 12 * H, endsAt: T + 24 * H }, COORD);
    expect(touching.overlaps).toEqual([]);
    const shared = rota.add({ userId: u("paul"), startsAt: T + 10 * H, endsAt: T + 14 * H }, COORD);
    expect(shared.overlaps).toEqual([night, touching.shift]);
    expect(rota.onDutyAt(T + 11 * H).map((s) => s.userId)).toEqual([u("anne"), u("paul")]);
  });

  it("removes softly: the row keeps who removed it and when, and every read ignores it", () => {
    const { db, rota, setNow } = setup();
    const night = rota.add({ userId: u("anne"), startsAt: T, endsAt: T + 12 * H }, COORD).shift;
    setNow(T + H);
    expect(rota.remove(night.id, COORD)).toEqual(night);
    expect(rota.remove(night.id, COORD)).toBeUndefined();
    expect(rota.onDutyAt(T + 2 * H)).toEqual([]);
    expect(rota.upcoming(T, 10)).toEqual([]);
    expect(rota.between(T, T + 12 * H)).toEqual([]);
    expect(db.prepare("SELECT user_id, created_by, removed_at, removed_by FROM garde_shifts").all()).toEqual([
      { user_id: u("anne"), created_by: COORD, removed_at: T + H, removed_by: COORD },
    ]);
  });

  it("does not remove a shift that is over (history) or that does not exist", () => {
    const { rota, setNow } = setup();
    const night = rota.add({ userId: u("anne"), startsAt: T, endsAt: T + 12 * H }, COORD).shift;
    setNow(T + 12 * H);
    expect(rota.remove(night.id, COORD)).toBeUndefined();
    expect(rota.remove(shiftId(99), COORD)).toBeUndefined();
    expect(rota.between(T, T + 1)).toEqual([night]);
  });

  it("refuses at the database level a shift that ends before it starts", () => {
    const { rota } = setup();
    expect(() => rota.add({ userId: u("anne"), startsAt: T, endsAt: T }, COORD)).toThrow(/CHECK constraint/);
  });
});
