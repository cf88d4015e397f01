import type { Localized } from "../core/i18n/lang.ts";

export const SEARCH_COMMAND_MESSAGES = {
  summary: {
    fr: "Trouver un professionnel du territoire : profession, commune, compétence, langue, équipement… (ex. : kiné Douai domicile)",
    en: "Find a professional of the territory: profession, commune, skill, language, equipment… (e.g. kiné Douai domicile)",
  },
  queryParam: { fr: "ce que vous cherchez, ou « suite » pour la page suivante", en: "what you are looking for, or \"suite\" for the next page" },
  membersOnly: {
    fr: "L'annuaire de la CPTS est réservé aux membres vérifiés. Commencez par !inscription <votre RPPS>.",
    en: "The CPTS directory is for verified members. Start with !inscription <your RPPS>.",
  },
  nothingToContinue: {
    fr: "Il n'y a pas de recherche à poursuivre : commencez par !annuaire suivi de ce que vous cherchez (ex. : !annuaire IDE Sin-le-Noble).",
    en: "There is no search to continue: start with !annuaire and what you are looking for (e.g. !annuaire IDE Sin-le-Noble).",
  },
} as const satisfies Record<string, Localized>;
