import type { Localized } from "../core/i18n/lang.ts";

export const ACCUEIL_MESSAGES = {
  botName: { fr: "Accueil CPTS", en: "CPTS welcome bot" },
  pingSummary: { fr: "Vérifier que je vous réponds (connexion chiffrée de bout en bout)", en: "Check that I answer you (end-to-end encrypted)" },
  pong: { fr: "pong — je vous reçois bien, en message chiffré.", en: "pong — I hear you, encrypted end to end." },
} as const satisfies Record<string, Localized>;
