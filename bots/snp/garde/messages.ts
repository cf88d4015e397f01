import type { Localized } from "../../core/i18n/lang.ts";

const HOW_TO_ADD_FR = "Par exemple : !garde ajout @prenom.nom:cpts.fr 24/11 20h 25/11 8h, ou !garde ajout @prenom.nom:cpts.fr demain 20h 8h.";
const HOW_TO_ADD_EN = "For example: !garde ajout @firstname.name:cpts.fr 24/11 20h 25/11 8h, or !garde ajout @firstname.name:cpts.fr demain 20h 8h.";

/** What a coordinator may be told while declaring a shift (placeholders only echo what they typed). */
export const GARDE_MESSAGES = {
  missingUser: {
    fr: `Indiquez le compte de la personne de garde, puis le début et la fin. ${HOW_TO_ADD_FR}`,
    en: `Please give the account of the person on duty, then the start and the end. ${HOW_TO_ADD_EN}`,
  },
  notUserId: {
    fr: "« {input} » n'est pas un compte Matrix. Écrivez-le en entier, par exemple @prenom.nom:cpts.fr.",
    en: "\"{input}\" is not a Matrix account. Please write it in full, for example @firstname.name:cpts.fr.",
  },
  missingStart: {
    fr: `Il manque le début et la fin de la garde. ${HOW_TO_ADD_FR}`,
    en: `The start and the end of the shift are missing. ${HOW_TO_ADD_EN}`,
  },
  missingEnd: {
    fr: `Il manque la fin de la garde. ${HOW_TO_ADD_FR}`,
    en: `The end of the shift is missing. ${HOW_TO_ADD_EN}`,
  },
  unknownStart: {
    fr: "Je ne comprends pas le début « {input} » : j'attends une date (24/11, 2026-11-24, demain, samedi…) suivie d'une heure (20h, 20h30, 20:30), ou une heure seule pour aujourd'hui.",
    en: "I do not understand the start \"{input}\": I expect a date (24/11, 2026-11-24, demain, samedi…) followed by a time (20h, 20h30, 20:30), or a time alone for today.",
  },
  unknownEnd: {
    fr: "Je ne comprends pas la fin « {input} » : j'attends une date suivie d'une heure (25/11 8h), ou une heure seule (8h).",
    en: "I do not understand the end \"{input}\": I expect a date followed by a time (25/11 8h), or a time alone (8h).",
  },
  unknownDate: {
    fr: "Je ne reconnais pas la date « {input} ». Écrivez-la 24/11, 24/11/2026, 2026-11-24, aujourd'hui, demain ou avec un jour de la semaine (samedi).",
    en: "I do not recognise the date \"{input}\". Please write it 24/11, 24/11/2026, 2026-11-24, aujourd'hui (today), demain (tomorrow) or as a weekday (samedi).",
  },
  unknownTime: {
    fr: "Je ne reconnais pas l'heure « {input} ». Écrivez-la 20h, 20h30 ou 20:30 (de 0h à 23h59, minuit pour 0h).",
    en: "I do not recognise the time \"{input}\". Please write it 20h, 20h30 or 20:30 (from 0h to 23h59, minuit for midnight).",
  },
  missingTime: {
    fr: "Il manque l'heure après la date « {date} » (par exemple {date} 20h).",
    en: "The time is missing after the date \"{date}\" (for example {date} 20h).",
  },
  endBeforeStart: {
    fr: "La fin « {end} » ne vient pas après le début « {start} ». Vérifiez les dates.",
    en: "The end \"{end}\" does not come after the start \"{start}\". Please check the dates.",
  },
  tooLong: {
    fr: "Cette garde durerait {duration} : une garde dure {max} h au plus. Déclarez-la en plusieurs gardes.",
    en: "This shift would last {duration}: a shift lasts at most {max} h. Please declare it as several shifts.",
  },
  inPast: {
    fr: "Cette garde est déjà terminée (fin « {end} ») : je n'enregistre que les gardes en cours ou à venir.",
    en: "This shift is already over (end \"{end}\"): I only record current or upcoming shifts.",
  },
  tooFarAhead: {
    fr: "Le début « {start} » est à plus d'un an : vérifiez l'année.",
    en: "The start \"{start}\" is more than a year away: please check the year.",
  },
  labelTooLong: {
    fr: "Le libellé de la garde dépasse {max} caractères : raccourcissez-le.",
    en: "The shift's label is longer than {max} characters: please shorten it.",
  },
  skippedTime: {
    fr: "« {input} » n'existe pas à Paris : cette nuit-là, on passe de 2h à 3h (heure d'été). Choisissez 3h par exemple.",
    en: "\"{input}\" does not exist in Paris: that night the clocks go from 2h to 3h (summer time). Choose 3h for example.",
  },
  repeatedStart: {
    fr: "« {input} » arrive deux fois cette nuit-là (retour à l'heure d'hiver) : la garde commence au premier passage.",
    en: "\"{input}\" happens twice that night (clocks go back): the shift starts at the first one.",
  },
  repeatedEnd: {
    fr: "« {input} » arrive deux fois cette nuit-là (retour à l'heure d'hiver) : la garde finit au second passage.",
    en: "\"{input}\" happens twice that night (clocks go back): the shift ends at the second one.",
  },
} as const satisfies Record<string, Localized>;

/** What `!garde` answers. */
export const GARDE_COMMAND_MESSAGES = {
  summary: {
    fr: "Qui est de garde maintenant, et la prochaine garde ; « liste » pour les gardes à venir ; « ajout » et « retirer » pour les coordinateurs",
    en: "Who is on duty now, and the next shift; \"liste\" for the upcoming shifts; \"ajout\" and \"retirer\" for coordinators",
  },
  actionParam: {
    fr: "rien (qui est de garde), liste, ajout ou retirer",
    en: "nothing (who is on duty), liste (list), ajout (add) or retirer (remove)",
  },
  detailsParam: {
    fr: "pour ajout : @compte début fin [libellé] ; pour retirer : le numéro de la garde",
    en: "for ajout: @account start end [label]; for retirer: the shift's number",
  },
  membersOnly: {
    fr: "Le tableau de garde est réservé aux membres vérifiés de la CPTS. Commencez par !inscription <votre RPPS> auprès du bot annuaire.",
    en: "The on-call rota is for verified members of the CPTS. Start with !inscription <your RPPS> with the directory bot.",
  },
  coordinatorsOnly: {
    fr: "Seuls les coordinateurs de la CPTS peuvent modifier le tableau de garde. Pour un changement, écrivez à votre coordinateur.",
    en: "Only the CPTS coordinators can change the on-call rota. For a change, please write to your coordinator.",
  },
  unknownAction: {
    fr: "Je ne connais pas « {input} » pour !garde. Tapez !garde (qui est de garde), !garde liste, !garde ajout … ou !garde retirer <numéro>.",
    en: "I do not know \"{input}\" for !garde. Type !garde (who is on duty), !garde liste, !garde ajout … or !garde retirer <number>.",
  },
  unexpectedDetails: {
    fr: "!garde {action} ne prend pas d'autre argument (« {input} » en trop).",
    en: "!garde {action} takes no other argument (\"{input}\" is extra).",
  },
  missingShiftNumber: {
    fr: "Indiquez le numéro de la garde à retirer, par exemple !garde retirer 12 (les numéros sont dans !garde liste).",
    en: "Please give the number of the shift to remove, for example !garde retirer 12 (numbers are in !garde liste).",
  },
  badShiftNumber: {
    fr: "« {input} » n'est pas un numéro de garde. Les numéros sont dans !garde liste (par exemple !garde retirer 12).",
    en: "\"{input}\" is not a shift number. Numbers are in !garde liste (for example !garde retirer 12).",
  },
  unknownShift: {
    fr: "Je ne trouve pas de garde n°{id} en cours ou à venir (déjà retirée ?). Voir !garde liste.",
    en: "I cannot find a current or upcoming shift number {id} (already removed?). See !garde liste.",
  },
  onDutyTitle: { fr: "De garde maintenant :", en: "On duty now:" },
  onDutyItem: { fr: "{who}, jusqu'à {until}", en: "{who}, until {until}" },
  nobodyOnDuty: {
    fr: "Personne n'est de garde en ce moment dans la CPTS. Pour un patient : le 116 117 (médecin de garde, permanence des soins) ; en cas d'urgence vitale, le 15.",
    en: "Nobody is on duty in the CPTS right now. For a patient: 116 117 (on-call doctor, out-of-hours care); for a life-threatening emergency, 15.",
  },
  nextShift: { fr: "Prochaine garde : {who}, du {from} au {until}.", en: "Next shift: {who}, from {from} to {until}." },
  noNextShift: { fr: "Aucune autre garde n'est déclarée.", en: "No other shift is declared." },
  listTitle: { fr: "Gardes en cours et à venir :", en: "Current and upcoming shifts:" },
  listItem: { fr: "n°{id} — du {from} au {until} — {who}", en: "#{id} — from {from} to {until} — {who}" },
  listMore: {
    fr: "Seules les {count} premières sont affichées.",
    en: "Only the first {count} are shown.",
  },
  listEmpty: {
    fr: "Aucune garde en cours ni à venir. Les coordinateurs en déclarent avec !garde ajout @compte début fin.",
    en: "No current or upcoming shift. Coordinators declare them with !garde ajout @account start end.",
  },
  listFooter: { fr: "Pour retirer une garde : !garde retirer <numéro>.", en: "To remove a shift: !garde retirer <number>." },
  added: {
    fr: "Garde n°{id} enregistrée : {who}, du {from} au {until} ({duration}).",
    en: "Shift #{id} recorded: {who}, from {from} to {until} ({duration}).",
  },
  overlapWarning: {
    fr: "⚠️ Elle chevauche d'autres gardes (les deux seront de garde en même temps) :",
    en: "⚠️ It overlaps other shifts (both will be on duty at the same time):",
  },
  notAMemberWarning: {
    fr: "⚠️ {user} n'est pas un membre vérifié de l'annuaire : je ne connais ni son nom ni son téléphone, la ligne téléphonique renverra vers le 116 117 pendant cette garde.",
    en: "⚠️ {user} is not a verified member of the directory: I know neither their name nor their phone, the phone line will send callers to 116 117 during this shift.",
  },
  noPhoneWarning: {
    fr: "⚠️ L'annuaire n'a pas de numéro de téléphone pour {who} : la ligne téléphonique renverra vers le 116 117 pendant cette garde.",
    en: "⚠️ The directory has no phone number for {who}: the phone line will send callers to 116 117 during this shift.",
  },
  removed: {
    fr: "Garde n°{id} retirée : {who}, du {from} au {until}.",
    en: "Shift #{id} removed: {who}, from {from} to {until}.",
  },
} as const satisfies Record<string, Localized>;

/** What the telephone endpoint says when no call can be forwarded to the CPTS (French: read by the people who set the phone line up). */
export const GARDE_FALLBACK_MESSAGES = {
  nobodyOnDuty: "Aucun professionnel de garde déclaré par la CPTS en ce moment : orientez l'appel vers le 116 117 (médecin de garde, permanence des soins). Urgence vitale : 15.",
  noPhone: "Le professionnel de garde n'a pas de numéro de téléphone dans l'annuaire : orientez l'appel vers le 116 117 (médecin de garde, permanence des soins). Urgence vitale : 15.",
  unavailable: "Le tableau de garde est momentanément indisponible : orientez l'appel vers le 116 117 (médecin de garde, permanence des soins). Urgence vitale : 15.",
} as const;
