import type { BotDefinition } from "../core/bot-runtime.ts";
import { ACCUEIL_MESSAGES } from "./messages.ts";

/** The welcome bot: proves the encrypted chain end to end (`!ping`, common to every bot) and points people to help. */
export const accueilBot: BotDefinition = {
  id: "accueil",
  schemas: [],
  name: ACCUEIL_MESSAGES.botName,
  create: () => ({ commands: [] }),
};
