import type { Localized } from "../core/i18n/lang.ts";

export const ACCUEIL_MESSAGES = {
  botName: { fr: "Accueil CPTS", en: "CPTS welcome bot" },
} as const satisfies Record<string, Localized>;
