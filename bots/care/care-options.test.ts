import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseBotOptions } from "../core/bot-runtime.ts";
import { loadBotsConfig } from "../core/config.ts";
import { CareOptionsSchema, retentionMsOf } from "./care-options.ts";
import { chosenNumbers } from "./team-service.ts";

describe("care options", () => {
  it("fills the defaults and reads durations", () => {
    const options = parseBotOptions(CareOptionsSchema, { alertReminderAfter: "15m" }, "equipes", "/etc/cpts");
    expect(options).toMatchObject({ alertReminderAfter: 900_000, alertMaxReminders: 2, referralReminderAfter: 86_400_000, expertiseWaveTimeout: 1_800_000, retentionDays: 365 });
    expect(retentionMsOf(options)).toBe(365 * 86_400_000);
  });

  it("reads the documented example", () => {
    const example = loadBotsConfig(fileURLToPath(new URL("../config.example.yaml", import.meta.url)));
    expect(parseBotOptions(CareOptionsSchema, example.bots["equipes"]?.options, "equipes", "/etc/cpts")).toMatchObject({ alertReminderAfter: 600_000, referralReminderAfter: 86_400_000, retentionDays: 365 });
  });

  it("names the bad key", () => {
    expect(() => parseBotOptions(CareOptionsSchema, { coordinators: ["@c:x"] }, "equipes", "/etc/cpts")).toThrow(/bots\.equipes\.options.*coordinators/);
    expect(() => parseBotOptions(CareOptionsSchema, { referralReminderAfter: "demain" }, "equipes", "/etc/cpts")).toThrow(/bots\.equipes\.options\.referralReminderAfter: a positive duration/);
    expect(() => parseBotOptions(CareOptionsSchema, { retentionDays: 0 }, "equipes", "/etc/cpts")).toThrow(/retentionDays/);
    expect(() => parseBotOptions(CareOptionsSchema, { reminder: "1h" }, "equipes", "/etc/cpts")).toThrow(/reminder/);
  });
});

describe("a choice among people a search found", () => {
  it("reads numbers in range, once each", () => {
    expect(chosenNumbers("1 3", 4)).toEqual([1, 3]);
    expect(chosenNumbers("2, 2 et 4", 4)).toEqual([2, 4]);
    expect(chosenNumbers("5", 4)).toBeUndefined();
    expect(chosenNumbers("le premier", 4)).toBeUndefined();
    expect(chosenNumbers("", 4)).toBeUndefined();
  });
});
