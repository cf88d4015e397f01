import { describe, expect, it } from "vitest";
import type { BotServices } from "../core/bot-runtime.ts";
import { ConfigError } from "../core/config.ts";
import { openDatabase } from "../core/store/database.ts";
import { directoryBot } from "./directory-bot.ts";

const services = { db: openDatabase(":memory:"), clock: { now: () => 0 } } as unknown as BotServices;

describe("directory bot options", () => {
  it("names each bad option with its full configuration path", () => {
    let message = "";
    try {
      directoryBot.create(services, { cptsName: "", coordinators: ["coordination"] });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toContain("bots.annuaire.options.cptsName");
    expect(message).toContain("bots.annuaire.options.coordinators.0");
    expect(() => directoryBot.create(services, undefined)).toThrow(/bots\.annuaire\.options/);
  });

  it("offers !inscription, !membre, !profil and !annuaire, with the guided profile conversation", () => {
    const behaviour = directoryBot.create(services, { cptsName: "CPTS Grand Douai", coordinators: ["@coordination:cpts.test"] });
    expect(behaviour.commands.map((c) => c.name)).toEqual(["inscription", "membre", "profil", "annuaire"]);
    expect(behaviour.onReaction).toBeDefined();
    expect(behaviour.conversation).toBeDefined();
  });
});
