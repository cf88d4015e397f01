import type { Localized } from "../../core/i18n/lang.ts";

/** What the care bot says about téléexpertise requests. */
export const EXPERTISE_MESSAGES = {
  avisSummary: {
    fr: "Demander une téléexpertise : `!avis cardiologue ECG ci-joint` ; aussi `!avis prendre|annule <code>`, `!avis liste`, `!avis export [période]` (coordinateurs)",
    en: "Ask for a téléexpertise: `!avis cardiologue ECG ci-joint`; also `!avis prendre|annule <code>`, `!avis liste`, `!avis export [period]` (coordinators)",
  },
  avisParam: { fr: "la spécialité puis la question, ou une action", en: "the specialty then the question, or an action" },
  answerSummary: { fr: "Répondre à la téléexpertise de ce salon, ce qui la clôt : `!reponse <votre avis>`", en: "Answer this room's téléexpertise, which closes it: `!reponse <your opinion>`" },
  answerParam: { fr: "votre avis", en: "your opinion" },
  specialtyMissing: { fr: "Quelle spécialité ? Exemple : `!avis cardiologue ECG ci-joint` ou `!avis dermato lésion du dos`.", en: "Which specialty? Example: `!avis cardiologue ECG ci-joint` or `!avis dermato lésion du dos`." },
  questionMissing: { fr: "Quelle est la question ? Exemple : `!avis {specialty} ECG ci-joint, douleur thoracique atypique`.", en: "What is the question? Example: `!avis {specialty} ECG ci-joint, douleur thoracique atypique`." },
  requested: {
    fr: "🔎 Téléexpertise {code} ({specialty}) envoyée à {count} expert(s). Salon chiffré « {room} » ({link}) : joignez-y vos fichiers (ECG, photos, comptes rendus) ; le premier expert qui prend la demande les y recevra et y répondra.",
    en: "🔎 Téléexpertise {code} ({specialty}) sent to {count} expert(s). Encrypted room \"{room}\" ({link}): attach your files there (ECG, photos, reports); the first expert who takes the request will get them there and answer there.",
  },
  noExpert: {
    fr: "Aucun membre de la CPTS n'a déclaré l'expertise « {specialty} » ni n'exerce cette spécialité : demande {code} close. Les membres déclarent leurs expertises auprès de l'annuaire (`!profil competences ...`).",
    en: "No member of the CPTS declared the expertise \"{specialty}\" or practises that specialty: request {code} closed. Members declare their expertise with the directory bot (`!profil competences ...`).",
  },
  roomName: { fr: "Avis {code} · {specialty}", en: "Opinion {code} · {specialty}" },
  roomTopic: {
    fr: "Téléexpertise {code} ({specialty}) demandée par {requester}. Le premier expert qui la prend y répond avec !reponse.",
    en: "Téléexpertise {code} ({specialty}) asked by {requester}. The first expert who takes it answers here with !reponse.",
  },
  roomIntro: {
    fr: "🔎 Téléexpertise {code} ({specialty})\nQuestion : {question}\nJoignez ici vos fichiers. L'expert qui prendra la demande ne peut pas lire ce qui a été posté avant son arrivée : je les lui transmettrai, chiffrés pour lui.",
    en: "🔎 Téléexpertise {code} ({specialty})\nQuestion: {question}\nAttach your files here. The expert who takes the request cannot read what was posted before they arrive: I will hand them on, encrypted for them.",
  },
  notification: {
    fr: "🔎 Demande de téléexpertise {code} — {specialty}\nDe : {requester}\nQuestion : {question}\n{wave}Pour la prendre : réagissez avec ✋ ou `!avis prendre {code}` ; le premier qui la prend y répond dans un salon dédié, avec les pièces jointes.",
    en: "🔎 Téléexpertise request {code} — {specialty}\nFrom: {requester}\nQuestion: {question}\n{wave}To take it: react with ✋ or `!avis prendre {code}`; the first who takes it answers in a dedicated room, with the attachments.",
  },
  waveDeclared: { fr: "Vous recevez cette demande car vous avez déclaré cette expertise.\n", en: "You receive this request because you declared this expertise.\n" },
  waveWider: { fr: "Vous recevez cette demande au titre de votre spécialité.\n", en: "You receive this request because of your specialty.\n" },
  takenByYou: { fr: "✋ Vous prenez la téléexpertise {code}. Je vous invite dans son salon, avec la question et les pièces jointes du demandeur.", en: "✋ You take téléexpertise {code}. I am inviting you into its room, with the requester's question and attachments." },
  expertArrived: {
    fr: "✋ {expert} prend la téléexpertise {code} ({specialty}).\nQuestion de {requester} : {question}\n{count} élément(s) posté(s) avant son arrivée suivent. Pour répondre et clore la demande : `!reponse <votre avis>`.",
    en: "✋ {expert} takes téléexpertise {code} ({specialty}).\nQuestion from {requester}: {question}\n{count} item(s) posted before they arrived follow. To answer and close the request: `!reponse <your opinion>`.",
  },
  forwardedText: { fr: "↪️ {name} ({time}) : {body}", en: "↪️ {name} ({time}): {body}" },
  answerRecorded: { fr: "✅ Réponse de {expert} enregistrée le {date} : téléexpertise {code} close. Merci !", en: "✅ Answer from {expert} recorded on {date}: téléexpertise {code} closed. Thank you!" },
  answerMissing: { fr: "Écrivez votre avis après la commande : `!reponse <votre avis>`.", en: "Write your opinion after the command: `!reponse <your opinion>`." },
  notExpertiseRoom: { fr: "`!reponse` s'utilise dans le salon d'une téléexpertise que vous avez prise.", en: "`!reponse` is used in the room of a téléexpertise you took." },
  // News to the requester.
  newsTaken: { fr: "✋ {expert} prend votre téléexpertise {code} ; il ou elle va répondre ici.", en: "✋ {expert} takes your téléexpertise {code}; they will answer here." },
  newsAnswered: { fr: "✅ Téléexpertise {code} : {expert} a répondu le {date} (salon « {room} »).", en: "✅ Téléexpertise {code}: {expert} answered on {date} (room \"{room}\")." },
  newsExpired: {
    fr: "⏹️ Téléexpertise {code} : aucun expert ne l'a prise à temps ; elle est close. Vous pouvez la reformuler ou l'adresser directement (`!adresser`).",
    en: "⏹️ Téléexpertise {code}: no expert took it in time; it is closed. You can ask again or refer directly (`!adresser`).",
  },
  // To the experts notified.
  markTaken: { fr: "✔️ Téléexpertise {code} prise par {expert}. Merci, rien à faire de votre côté.", en: "✔️ Téléexpertise {code} was taken by {expert}. Thank you, nothing to do on your side." },
  markExpired: { fr: "⏹️ Téléexpertise {code} close sans expert.", en: "⏹️ Téléexpertise {code} closed without an expert." },
  markCancelled: { fr: "⏹️ Téléexpertise {code} annulée par le demandeur.", en: "⏹️ Téléexpertise {code} cancelled by the requester." },
  cancelledAck: { fr: "Téléexpertise {code} annulée.", en: "Téléexpertise {code} cancelled." },
  roomClosed: { fr: "⏹️ Téléexpertise {code} annulée par le demandeur : salon en lecture seule.", en: "⏹️ Téléexpertise {code} cancelled by the requester: the room is read-only." },
  // Refusals.
  unknownRequest: { fr: "Je ne trouve pas la téléexpertise « {code} ». `!avis liste` montre les vôtres.", en: "I cannot find téléexpertise \"{code}\". `!avis liste` shows yours." },
  codeMissing: { fr: "Indiquez le code, par exemple `!avis {action} AV-7K3F`.", en: "Please give the code, for example `!avis {action} AV-7K3F`." },
  refusedNotAsked: { fr: "La téléexpertise {code} ne vous a pas été proposée.", en: "Téléexpertise {code} was not offered to you." },
  refusedAlreadyTaken: { fr: "La téléexpertise {code} est déjà prise par {expert}. Merci quand même !", en: "Téléexpertise {code} was already taken by {expert}. Thank you anyway!" },
  refusedNotOpen: { fr: "La téléexpertise {code} n'est plus ouverte ({status}).", en: "Téléexpertise {code} is no longer open ({status})." },
  refusedNotExpert: { fr: "Seul(e) l'expert(e) qui a pris la téléexpertise {code} peut y répondre.", en: "Only the expert who took téléexpertise {code} can answer it." },
  refusedNotRequester: { fr: "Seul(e) le ou la demandeur(se) peut annuler la téléexpertise {code}.", en: "Only the requester can cancel téléexpertise {code}." },
  refusedFinished: { fr: "La téléexpertise {code} est déjà close ({status}).", en: "Téléexpertise {code} is already closed ({status})." },
  coordinatorsOnly: { fr: "L'export est réservé aux coordinateurs de la CPTS.", en: "The export is for the CPTS coordinators only." },
  periodHelp: {
    fr: "Période : rien (4 dernières semaines), semaine, mois, annee, 30j, ou deux dates (2026-11-01 2026-11-30).",
    en: "Period: nothing (last 4 weeks), semaine (week), mois (month), annee (year), 30j (30 days), or two dates (2026-11-01 2026-11-30).",
  },
  exported: {
    fr: "Registre des téléexpertises du {label} : {count} demande(s), dont {answered} répondue(s) — fichier CSV ci-dessus (demandeur, expert, horodatages, spécialité ; aucun contenu clinique).",
    en: "Téléexpertise record for {label}: {count} request(s), {answered} answered — CSV file above (requester, expert, timestamps, specialty; no clinical content).",
  },
  listEmpty: { fr: "Aucune téléexpertise demandée ou reçue.", en: "No téléexpertise asked or received." },
  listHeader: { fr: "Vos téléexpertises (les plus récentes d'abord) :", en: "Your téléexpertises (newest first):" },
  listLine: { fr: "{code} {specialty} — {who} — {status}, demandée le {date}", en: "{code} {specialty} — {who} — {status}, asked on {date}" },
  statusOpen: { fr: "en attente d'un expert", en: "waiting for an expert" },
  statusTaken: { fr: "prise par {expert}", en: "taken by {expert}" },
  statusAnswered: { fr: "répondue par {expert}", en: "answered by {expert}" },
  statusExpired: { fr: "close sans expert", en: "closed without an expert" },
  statusCancelled: { fr: "annulée", en: "cancelled" },
} as const satisfies Record<string, Localized>;
