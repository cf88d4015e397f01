import { describe, expect, it } from "vitest";
import { carePowerLevels, creatorListedInPowerLevels } from "./care-rooms.ts";

describe("care room power levels", () => {
  it("leave names, topics and state to the bot, invitations and removals to managers; list the bot only where room versions want it", () => {
    expect(creatorListedInPowerLevels("10")).toBe(true);
    expect(creatorListedInPowerLevels("12")).toBe(false);
    const v12 = carePowerLevels("@bot:cpts.test", ["@mg:cpts.test"], "12") as { users: Record<string, number>; events: Record<string, number> };
    expect(v12.users).toEqual({ "@mg:cpts.test": 50 });
    expect(v12).toMatchObject({ invite: 50, kick: 50, state_default: 100, events_default: 0, notifications: { room: 100 } });
    expect(v12.events["m.room.name"]).toBe(100);
    expect(v12.events["m.room.pinned_events"]).toBe(50);
    // Every member may join a call (Element Call's membership state event).
    expect(v12.events["org.matrix.msc3401.call.member"]).toBe(0);
    expect((carePowerLevels("@bot:cpts.test", [], "10") as { users: Record<string, number> }).users).toEqual({ "@bot:cpts.test": 100 });
  });
});
