import { describe, expect, it } from "vitest";
import { createBot, type BotServices } from "../core/bot-runtime.ts";
import { ConfigError } from "../core/config.ts";
import { openDatabase } from "../database.ts";
import { directoryBot } from "../registry.ts";
import { testCpts } from "./test-cpts.ts";

const services = { db: openDatabase(":memory:"), clock: { now: () => 0 }, cpts: testCpts() } as unknown as BotServices;

describe("directory bot options", () => {
  it("names each bad option with its full configuration path", () => {
    let message = "";
    try {
      createBot(directoryBot, services, { trustIdentityAccounts: "oui", console: { sessionIdleMinutes: 0 } });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toContain("bots.annuaire.options.trustIdentityAccounts");
    expect(message).toContain("bots.annuaire.options.console.sessionIdleMinutes");
    // The CPTS's name and coordinators are the `cpts` section's, not the bot's.
    expect(() => createBot(directoryBot, services, { coordinators: ["@c:cpts.test"] })).toThrow(/bots\.annuaire\.options.*coordinators/);
  });

  it("offers !inscription, !membre, !profil and !annuaire, with the guided profile conversation", () => {
    // Every option has a default: a configuration may leave `options` out.
    const behaviour = createBot(directoryBot, services, undefined);
    expect(behaviour.commands.map((c) => c.name)).toEqual(["inscription", "membre", "profil", "annuaire"]);
    expect(behaviour.onReaction).toBeDefined();
    expect(behaviour.conversation).toBeDefined();
  });
});
