import { CommandError, type BaseContext, type CommandSpec } from "./commands/command.ts";
import { localize, parseLang } from "./i18n/lang.ts";
import { RUNTIME_MESSAGES } from "./i18n/runtime-messages.ts";
import type { UserPreferences } from "./store/user-preferences.ts";

/** Commands every bot has, besides the router's built-in help. */
export function coreCommands(preferences: UserPreferences): CommandSpec<BaseContext>[] {
  return [
    {
      name: "ping",
      summary: RUNTIME_MESSAGES.pingSummary,
      params: [],
      examples: ["!ping"],
      execute: (ctx) => {
        const trust = ctx.senderSessionVerified === false ? RUNTIME_MESSAGES.pongUnverified : RUNTIME_MESSAGES.pongVerified;
        return { text: `${localize(RUNTIME_MESSAGES.pong, ctx.lang)}\n${localize(trust, ctx.lang)}` };
      },
    },
    {
      name: "langue",
      englishName: "language",
      aliases: ["language"],
      summary: RUNTIME_MESSAGES.languageSummary,
      params: [{ name: "langue", description: RUNTIME_MESSAGES.languageParam }],
      examples: ["!langue en", "!language fr"],
      execute(ctx, args) {
        const input = args["langue"] ?? "";
        const lang = parseLang(input);
        if (!lang) throw new CommandError("unknown language requested", RUNTIME_MESSAGES.languageUnknown, { input });
        preferences.setLanguage(ctx.sender, lang);
        return { text: localize(RUNTIME_MESSAGES.languageSet, lang) };
      },
    },
  ];
}
