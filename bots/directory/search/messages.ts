import type { Localized } from "../../core/i18n/lang.ts";

export const SEARCH_MESSAGES = {
  empty: {
    fr: "Que cherchez-vous ? Écrivez une profession, une commune, un nom ou une compétence, par exemple : !annuaire kiné Douai domicile",
    en: "What are you looking for? Type a profession, a commune, a name or a skill, for example: !annuaire kiné Douai domicile",
  },
  tooLong: {
    fr: "Cette recherche est trop longue ({max} caractères au plus). Quelques mots suffisent, par exemple : !annuaire IDE Sin-le-Noble",
    en: "This search is too long ({max} characters at most). A few words are enough, for example: !annuaire IDE Sin-le-Noble",
  },
  count: { fr: "{count} résultats", en: "{count} results" },
  countOne: { fr: "1 résultat", en: "1 result" },
  none: {
    fr: "Aucun résultat pour cette recherche, désolé.",
    en: "No result for this search, sorry.",
  },
  suggestions: {
    fr: "Essayez un mot plus court ou plus courant (« kiné », « IDE », « MG »), une profession seule avec une commune (!annuaire IDE Douai), ou le nom sans le prénom.",
    en: "Try a shorter or more common word (\"kiné\", \"IDE\", \"MG\"), a profession alone with a commune (!annuaire IDE Douai), or the last name only.",
  },
  pastEnd: { fr: "Il n'y a pas d'autres résultats (page {page}/{pages}).", en: "There are no more results (page {page}/{pages})." },
  relaxed: {
    fr: "Personne ne correspond à tous les mots : voici les plus proches.",
    en: "Nobody matches every word: here are the closest matches.",
  },
  unmatched: {
    fr: "Aucune fiche ne mentionne encore « {criteria} » : résultats classés sans ce critère.",
    en: "No card mentions \"{criteria}\" yet: results ranked without it.",
  },
  paging: { fr: "Page {page}/{pages} — tapez !annuaire suite pour la suite.", en: "Page {page}/{pages} — type !annuaire suite for more." },
  lastPage: { fr: "Page {page}/{pages}.", en: "Page {page}/{pages}." },
  sameCommune: { fr: "sur la commune", en: "same commune" },
  underOneKm: { fr: "à moins d'1 km", en: "under 1 km away" },
  distance: { fr: "à {km} km", en: "{km} km away" },
  mention: { fr: "écrire sur la messagerie", en: "message on the platform" },
  phone: { fr: "tél.", en: "phone" },
} satisfies Record<string, Localized>;
