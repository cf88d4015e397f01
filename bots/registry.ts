// The composition root: the bots this code base can run, wired together. Only bots/main.ts
// imports it (scripts/module-graph.ts checks the modules never do).
import { mssanteBridge } from "../bridges/mssante/mssante-bridge.ts";
import { accueilBot } from "./accueil/accueil-bot.ts";
import { careBot } from "./care/care-bot.ts";
import { coordinatorConsole } from "./console/coordinator-console.ts";
import type { BotDefinition } from "./core/bot-runtime.ts";
import { defineDirectoryBot } from "./directory/directory-bot.ts";
import { snpBot } from "./snp/snp-bot.ts";

/** The directory bot, serving the coordinators' console on its HTTP port. */
export const directoryBot = defineDirectoryBot(coordinatorConsole);

/** Every bot this code base can run, by the id used in the configuration. */
export const BOT_DEFINITIONS: ReadonlyMap<string, BotDefinition> = new Map([
  [accueilBot.id, accueilBot],
  [directoryBot.id, directoryBot],
  [snpBot.id, snpBot],
  [careBot.id, careBot],
  [mssanteBridge.id, mssanteBridge],
]);
