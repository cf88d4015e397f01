import type { Localized } from "../../core/i18n/lang.ts";

/** What the care bot says about video meetings (RCP, téléconsultation) in case rooms. */
export const RCP_MESSAGES = {
  rcpSummary: {
    fr: "Programmer une RCP ou une téléconsultation en vidéo dans ce salon : `!rcp [date] heure [durée] [objet]`",
    en: "Schedule a video RCP or téléconsultation in this room: `!rcp [date] time [duration] [subject]`",
  },
  rcpParam: { fr: "date (12/03, demain, jeudi ; aujourd'hui sinon), heure (14h30), durée (45min, 1h ; 1 h sinon), objet", en: "date (12/03, demain, jeudi; today otherwise), time (14h30), duration (45min, 1h; 1 h otherwise), subject" },
  "missing-time": { fr: "Quelle heure ? Par exemple : `!rcp 12/03 14h30 45min point plaie`.", en: "What time? For example: `!rcp 12/03 14h30 45min point plaie`." },
  "unknown-date": { fr: "« {input} » n'est pas une date : écrivez 12/03, 12/03/2027, demain ou jeudi.", en: "\"{input}\" is not a date: write 12/03, 12/03/2027, demain or jeudi." },
  "unknown-time": { fr: "« {input} » n'est pas une heure : écrivez 14h, 14h30 ou 14:30.", en: "\"{input}\" is not a time: write 14h, 14h30 or 14:30." },
  "bad-duration": { fr: "La durée « {input} » doit être entre {min} min et {max} min.", en: "The duration \"{input}\" must be between {min} and {max} minutes." },
  "in-past": { fr: "Ce moment est déjà passé : choisissez une date et une heure à venir.", en: "That time has already passed: choose a date and time to come." },
  "too-far": { fr: "C'est plus de {days} jours à l'avance : programmez-la plus tard.", en: "That is more than {days} days ahead: schedule it later." },
  "subject-too-long": { fr: "L'objet est trop long ({max} caractères au plus).", en: "The subject is too long ({max} characters at most)." },
  caseClosed: { fr: "Le cas {code} est clos : pas de réunion dans un cas clos.", en: "Case {code} is closed: no meeting in a closed case." },
  invitation: {
    fr: "📹 {kind} programmée le {when} ({duration} min){subject}, par {by}.\nPour la rejoindre, à l'heure dite, dans ce salon : Element Web, bouton caméra en haut à droite puis « Appel vidéo » ; Element X, icône caméra dans l'en-tête du salon. Le premier arrivé lance l'appel, les autres le rejoignent depuis la bannière. L'appel passe par le serveur de la CPTS, chiffré, réservé aux membres du salon.\nRappel 15 minutes avant ; le fichier .ics ci-dessous l'ajoute à votre agenda.",
    en: "📹 {kind} scheduled on {when} ({duration} min){subject}, by {by}.\nTo join at that time, in this room: Element Web, the camera button at the top right, then \"Video call\"; Element X, the camera icon in the room's header. The first to arrive starts the call, the others join from the banner. The call goes through the CPTS's server, encrypted, for the room's members only.\nReminder 15 minutes before; the .ics file below adds it to your calendar.",
  },
  scheduled: { fr: "C'est annoncé à l'équipe, avec le fichier d'agenda. {reminder}", en: "The team is told, with the calendar file. {reminder}" },
  reminderAt: { fr: "Rappel le {at}.", en: "Reminder on {at}." },
  noReminder: { fr: "Elle commence dans moins de 15 minutes : pas de rappel.", en: "It starts in less than 15 minutes: no reminder." },
  reminder: { fr: "⏰ {kind} dans 15 minutes ({time}) : rejoignez l'appel vidéo de ce salon.", en: "⏰ {kind} in 15 minutes ({time}): join this room's video call." },
  attended: {
    fr: "📋 {kind} du {date} : appel de {from} à {to}, {count} participant(s) : {names}. (Relevé pour le rapport d'activité de la CPTS, sans contenu.)",
    en: "📋 {kind} of {date}: call from {from} to {to}, {count} participant(s): {names}. (Recorded for the CPTS's activity report, without content.)",
  },
  nobody: { fr: "📋 {kind} du {date} : personne n'a rejoint l'appel.", en: "📋 {kind} of {date}: nobody joined the call." },
  kindRcp: { fr: "RCP", en: "RCP" },
  icsDescription: {
    fr: "Réunion en vidéo dans le salon chiffré du cas {code}, sur le serveur de la CPTS. Rejoindre : ouvrez le salon (lien) puis l'appel vidéo.",
    en: "Video meeting in the encrypted room of case {code}, on the CPTS's server. To join: open the room (link), then the video call.",
  },
} as const satisfies Record<string, Localized>;
