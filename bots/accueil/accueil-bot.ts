import type { BotDefinition } from "../core/bot-runtime.ts";
import { localize } from "../core/i18n/lang.ts";
import { ACCUEIL_MESSAGES } from "./messages.ts";

/** The welcome bot: proves the encrypted chain end to end and points people to help. */
export const accueilBot: BotDefinition = {
  id: "accueil",
  name: ACCUEIL_MESSAGES.botName,
  create: () => ({
    commands: [
      {
        name: "ping",
        summary: ACCUEIL_MESSAGES.pingSummary,
        params: [],
        examples: ["!ping"],
        execute: (ctx) => ({ text: localize(ACCUEIL_MESSAGES.pong, ctx.lang) }),
      },
    ],
  }),
};
