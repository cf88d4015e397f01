import { mssanteBridge } from "../bridges/mssante/mssante-bridge.ts";
import { accueilBot } from "./accueil/accueil-bot.ts";
import { careBot } from "./care/care-bot.ts";
import type { BotDefinition } from "./core/bot-runtime.ts";
import { directoryBot } from "./directory/directory-bot.ts";
import { snpBot } from "./snp/snp-bot.ts";

/** Every bot this code base can run, by the id used in the configuration. */
export const BOT_DEFINITIONS: ReadonlyMap<string, BotDefinition> = new Map([
  [accueilBot.id, accueilBot],
  [directoryBot.id, directoryBot],
  [snpBot.id, snpBot],
  [careBot.id, careBot],
  [mssanteBridge.id, mssanteBridge],
]);
