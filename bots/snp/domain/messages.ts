import type { Localized } from "../../core/i18n/lang.ts";

/** What the person reads when an SNP request cannot be taken as typed; placeholders are filled by `localize`. */
export const SNP_REQUEST_MESSAGES = {
  professionMissing: {
    fr: "Indiquez la profession recherchée (MG, IDE, kiné, sage-femme…).",
    en: "Please give the profession needed (MG, IDE, kiné, sage-femme…).",
  },
  professionUnknown: {
    fr: "Je ne connais pas la profession « {input} ». Essayez par exemple MG, IDE, kiné, pharmacien ou sage-femme.",
    en: "I do not know the profession \"{input}\". Try for instance MG, IDE, kiné, pharmacien or sage-femme.",
  },
  communeMissing: {
    fr: "Indiquez la commune du patient.",
    en: "Please give the patient's commune.",
  },
  communeOutside: {
    fr: "La commune « {input} » ne fait pas partie du territoire de la {territory}. Pour un patient hors territoire, orientez-le vers le service de garde (116 117).",
    en: "The commune \"{input}\" is not part of the {territory} territory. For a patient outside the territory, please redirect to the on-call service (116 117).",
  },
  delayMissing: {
    fr: "Indiquez le délai de prise en charge en heures, par exemple 6h, 24h ou 48h.",
    en: "Please give the care delay in hours, for example 6h, 24h or 48h.",
  },
  delayNotPositive: {
    fr: "Le délai de prise en charge doit être d'au moins une heure (« {input} » reçu).",
    en: "The care delay must be at least one hour (got \"{input}\").",
  },
  delayTooLong: {
    fr: "Un soin non programmé se prend en charge sous {max} h au plus ; « {input} » relève d'un rendez-vous classique.",
    en: "Unscheduled care is provided within {max} h at most; \"{input}\" calls for an ordinary appointment.",
  },
  delayInvalid: {
    fr: "Je ne comprends pas le délai « {input} ». Écrivez un nombre d'heures, par exemple 6h ou 48h.",
    en: "I do not understand the delay \"{input}\". Please write a number of hours, for example 6h or 48h.",
  },
  modeUnknown: {
    fr: "Mode de prise en charge inconnu : « {input} ». Modes possibles : tel, teleconsultation, cabinet, domicile.",
    en: "Unknown care mode: \"{input}\". Possible modes: tel, teleconsultation, cabinet, domicile.",
  },
  needMissing: {
    fr: "Décrivez le besoin en quelques mots, entre guillemets, par exemple \"pansement 10 j, 2 passages/jour\".",
    en: "Please describe the need in a few words, in quotes, for example \"pansement 10 j, 2 passages/jour\".",
  },
  needTooShort: {
    fr: "Le besoin est trop court ; décrivez-le en quelques mots (au moins {min} caractères).",
    en: "The need is too short; please describe it in a few words (at least {min} characters).",
  },
  needTooLong: {
    fr: "Le besoin dépasse {max} caractères ; résumez-le, les détails iront dans le salon du cas patient.",
    en: "The need is longer than {max} characters; please summarise it, details go to the patient case room.",
  },
  ageBandMissing: {
    fr: "Indiquez la tranche d'âge du patient : {bands}.",
    en: "Please give the patient's age band: {bands}.",
  },
  ageBandInvalid: {
    fr: "Tranche d'âge inconnue : « {input} ». Tranches possibles : {bands}.",
    en: "Unknown age band: \"{input}\". Possible bands: {bands}.",
  },
  gpStatusMissing: {
    fr: "Précisez la situation du médecin traitant : sans-MT (pas de médecin traitant), MT-indispo (indisponible) ou MT-dispo.",
    en: "Please state the GP situation: sans-MT (no GP), MT-indispo (GP unavailable) or MT-dispo (GP available).",
  },
  usualProfessionalInvalid: {
    fr: "« {input} » n'est pas un identifiant Matrix ; écrivez-le comme @prenom.nom:serveur.",
    en: "\"{input}\" is not a Matrix user id; please write it as @first.last:server.",
  },
  unknownWords: {
    fr: "Je ne comprends pas : {words}. Le besoin doit être un seul argument, entre guillemets s'il contient plusieurs mots.",
    en: "I do not understand: {words}. The need must be a single argument, in quotes when it has several words.",
  },
  unknownWordsMany: {
    fr: "Je ne comprends pas : {words} et {others} autre(s) mot(s). Le besoin doit être un seul argument, entre guillemets s'il contient plusieurs mots.",
    en: "I do not understand: {words} and {others} other word(s). The need must be a single argument, in quotes when it has several words.",
  },
  unterminatedQuote: {
    fr: "Un guillemet n'est pas refermé ; vérifiez le besoin entre guillemets.",
    en: "A quote is not closed; please check the need in quotes.",
  },
} as const satisfies Record<string, Localized>;
