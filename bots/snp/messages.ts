import type { Localized } from "../core/i18n/lang.ts";

/** What the SNP bot says. Placeholders are filled by `localize`. */
export const SNP_MESSAGES = {
  botName: { fr: "SNP (soins non programmés)", en: "SNP (unscheduled care)" },
  snpSummary: {
    fr: "Demande de soin non programmé : `!snp` guidé, ou en une ligne ; aussi `!snp fait|pas-fait|accepte|refuse|annule|liste|rappel|clos|stats|export`",
    en: "Unscheduled-care request: `!snp` guided, or in one line; also `!snp fait|pas-fait|accepte|refuse|annule|liste|rappel|clos|stats|export`",
  },
  snpParam: { fr: "rien (guidé), la demande en une ligne, ou une action et le code de la demande", en: "nothing (guided), the one-line request, or an action and the request code" },
  dispoSummary: { fr: "Votre disponibilité pour les demandes SNP : `!dispo on` ou `!dispo off`", en: "Your availability for SNP requests: `!dispo on` or `!dispo off`" },
  dispoParam: { fr: "on ou off (rien : votre état)", en: "on or off (nothing: your status)" },
  dispoOn: { fr: "C'est noté : vous êtes disponible pour les demandes SNP.", en: "Noted: you are available for SNP requests." },
  dispoOff: { fr: "C'est noté : vous ne recevrez plus de demandes SNP jusqu'à `!dispo on`.", en: "Noted: you will receive no SNP requests until `!dispo on`." },
  dispoStatusOn: { fr: "Vous êtes disponible pour les demandes SNP{pool}.", en: "You are available for SNP requests{pool}." },
  dispoStatusOff: { fr: "Vous êtes indisponible pour les demandes SNP (`!dispo on` pour reprendre).", en: "You are unavailable for SNP requests (`!dispo on` to resume)." },
  dispoNotInPool: {
    fr: " — mais vous n'êtes pas dans le vivier SNP : `!profil snp oui` auprès de l'annuaire pour y entrer",
    en: " — but you are not in the SNP pool: `!profil snp oui` with the directory bot to join it",
  },
  dispoInvalid: { fr: "Écrivez `!dispo on` ou `!dispo off`.", en: "Please write `!dispo on` or `!dispo off`." },
  notAllowedToRequest: {
    fr: "Seuls les membres vérifiés de la CPTS (en message direct avec moi) et les régulateurs (dans le salon Régulation SNP) peuvent ouvrir une demande SNP. Inscrivez-vous auprès de l'annuaire avec `!inscription <RPPS>`.",
    en: "Only verified members of the CPTS (in a direct chat with me) and the regulators (in the SNP regulation room) can open an SNP request. Please register with the directory bot: `!inscription <RPPS>`.",
  },
  coordinatorsOnly: { fr: "Cette commande est réservée aux coordinateurs de la CPTS.", en: "This command is for the CPTS coordinators only." },
  regulatorsOnly: { fr: "Cette action est réservée aux régulateurs SNP.", en: "This action is for the SNP regulators only." },
  problemsIntro: { fr: "Je ne peux pas enregistrer la demande :", en: "I cannot record the request:" },
  oneLineHelp: {
    fr: "Forme en une ligne : `!snp IDE Douai 6h domicile \"pansement 10 j\" 70+ sans-MT` (ou `!snp` seul pour être guidé).",
    en: "One-line form: `!snp IDE Douai 6h domicile \"pansement 10 j\" 70+ sans-MT` (or `!snp` alone to be guided).",
  },
  redirected: { fr: "Demande {code} non éligible au SNP. {reason}", en: "Request {code} is not eligible for SNP. {reason}" },
  dispatched: {
    fr: "Demande {code} enregistrée. {count} professionnel(s) sollicité(s) ; réponse attendue avant {deadline}. Je vous préviens ici dès qu'un professionnel accepte. Ne donnez pas l'identité du patient ici : elle ira dans le salon chiffré du cas, avec le professionnel qui accepte.",
    en: "Request {code} recorded. {count} professional(s) asked; answer expected before {deadline}. I will tell you here as soon as someone accepts. Do not give the patient's identity here: it goes in the encrypted case room, with the professional who accepts.",
  },
  dispatchedNobody: {
    fr: "Demande {code} enregistrée, mais aucun professionnel disponible ne correspond : elle est transmise à la régulation, qui rappellera le patient.",
    en: "Request {code} recorded, but no available professional matches: it goes to the regulation room, which will call the patient back.",
  },
  unknownRequest: { fr: "Je ne trouve pas la demande « {code} ». Vérifiez le code (ex. SNP-4F7K) ; `!snp liste` montre les demandes en cours.", en: "I cannot find request \"{code}\". Please check the code (e.g. SNP-4F7K); `!snp liste` shows the open requests." },
  codeMissing: { fr: "Indiquez le code de la demande, par exemple `!snp {action} SNP-4F7K`.", en: "Please give the request code, for example `!snp {action} SNP-4F7K`." },
  reasonMissing: { fr: "Indiquez la raison, par exemple `!snp pas-fait SNP-4F7K patient absent`.", en: "Please give the reason, for example `!snp pas-fait SNP-4F7K patient absent`." },
  // The direct chat the bot opens with each member of the SNP pool ahead of requests.
  directChatWelcome: {
    fr: "👋 Bonjour, je suis le bot SNP (soins non programmés) de la {cpts}. Vous êtes dans le vivier SNP : les demandes de soins non programmés qui vous concernent arriveront ici, dans cette conversation. Pour accepter une demande, réagissez avec ✅ ; pour la décliner, avec ❌. `!dispo off` suspend les demandes, `!dispo on` les reprend ; pour quitter le vivier : `!profil snp non` auprès du bot de l'annuaire.",
    en: "👋 Hello, I am the SNP (unscheduled care) bot of {cpts}. You are in the SNP pool: the unscheduled-care requests meant for you will arrive here, in this conversation. To accept a request, react with ✅; to decline it, with ❌. `!dispo off` pauses the requests, `!dispo on` resumes them; to leave the pool: `!profil snp non` with the directory bot.",
  },
  // The candidate's notification and what becomes of it.
  notification: {
    fr: "🩺 Demande de soin non programmé {code}\n{profession} — {commune} — sous {delay} h\nBesoin : {need}\nPatient : {age} ans, {gp}{criteria}\nModes possibles : {modes}\n{usual}\nPour accepter, réagissez avec ✅ ({firstMode}){modeReactions}, ou répondez `!snp accepte {code} [mode]`. Pour décliner : ❌ ou `!snp refuse {code}`. Réponse attendue avant {deadline}.",
    en: "🩺 Unscheduled-care request {code}\n{profession} — {commune} — within {delay} h\nNeed: {need}\nPatient: aged {age}, {gp}{criteria}\nPossible modes: {modes}\n{usual}\nTo accept, react with ✅ ({firstMode}){modeReactions}, or reply `!snp accepte {code} [mode]`. To decline: ❌ or `!snp refuse {code}`. Answer expected before {deadline}.",
  },
  usualProfessionalLine: { fr: "Vous êtes le professionnel habituel du patient : vous êtes sollicité(e) en premier.", en: "You are the patient's usual professional: you are asked first." },
  modeReactionsIntro: { fr: " ou avec le mode choisi : ", en: " or with the mode you choose: " },
  takenBy: { fr: "✔️ Demande {code} prise en charge par {name}. Merci, rien à faire de votre côté.", en: "✔️ Request {code} was taken by {name}. Thank you, nothing to do on your side." },
  closedEscalated: { fr: "⏹️ Demande {code} close : transmise à la régulation.", en: "⏹️ Request {code} closed: handed to the regulation room." },
  closedCancelled: { fr: "⏹️ Demande {code} annulée par le demandeur.", en: "⏹️ Request {code} was cancelled by the requester." },
  reminder: { fr: "⏰ Rappel : la demande {code} attend toujours une réponse (avant {deadline}). ✅ pour accepter, ❌ pour décliner.", en: "⏰ Reminder: request {code} still awaits an answer (before {deadline}). ✅ to accept, ❌ to decline." },
  acceptedByYou: { fr: "✅ Vous prenez en charge la demande {code} ({mode}). Un salon chiffré « Cas {code} » avec le demandeur vous est proposé : les détails du patient y seront donnés. Quand c'est fait : `!snp fait {code}` (ou `!snp pas-fait {code} <raison>`).", en: "✅ You take request {code} ({mode}). An encrypted room \"Cas {code}\" with the requester is on its way: the patient's details go there. When done: `!snp fait {code}` (or `!snp pas-fait {code} <reason>`)." },
  declinedByYou: { fr: "C'est noté, vous déclinez la demande {code}. Merci d'avoir répondu.", en: "Noted, you decline request {code}. Thank you for answering." },
  // To the requester.
  newsAccepted: { fr: "✅ Demande {code} acceptée par {name} ({mode}). Un salon chiffré « Cas {code} » vous réunit : donnez-y l'identité et les coordonnées du patient.", en: "✅ Request {code} accepted by {name} ({mode}). An encrypted room \"Cas {code}\" brings you together: give the patient's identity and contact details there." },
  newsEscalated: { fr: "⚠️ Demande {code} : aucun professionnel n'a accepté à temps. Elle est transmise à la régulation, qui rappellera le patient.", en: "⚠️ Request {code}: nobody accepted in time. It goes to the regulation room, which will call the patient back." },
  newsCallbackClaimed: { fr: "📞 Demande {code} : {name} (régulation) rappelle le patient.", en: "📞 Request {code}: {name} (regulation) is calling the patient back." },
  newsClosed: { fr: "Demande {code} close par la régulation : {outcome}.", en: "Request {code} closed by the regulation room: {outcome}." },
  newsDone: { fr: "✔️ Demande {code} : soin réalisé par {name}.", en: "✔️ Request {code}: care provided by {name}." },
  newsNotDone: { fr: "Demande {code} : soin non réalisé par {name}. Raison : {reason}", en: "Request {code}: care not provided by {name}. Reason: {reason}" },
  newsCancelled: { fr: "Demande {code} annulée.", en: "Request {code} cancelled." },
  // The regulation room.
  escalation: {
    fr: "⚠️ Demande {code} à reprendre ({reason}).\n{profession} — {commune} — sous {delay} h — {age} ans\nBesoin : {need}\nHistorique :\n{history}\nRecours conseillé : {fallback}.\n📋 Tâche : rappeler le patient. Réagissez avec ✋ pour la prendre (ou `!snp rappel {code}`), puis `!snp clos {code} <issue>` (garde, 15, mt, vu, injoignable, sans-objet).",
    en: "⚠️ Request {code} to take over ({reason}).\n{profession} — {commune} — within {delay} h — aged {age}\nNeed: {need}\nHistory:\n{history}\nRecommended fallback: {fallback}.\n📋 Task: call the patient back. React with ✋ to take it (or `!snp rappel {code}`), then `!snp clos {code} <outcome>` (garde, 15, mt, vu, injoignable, sans-objet).",
  },
  reasonDeadline: { fr: "délai de réponse dépassé", en: "response deadline passed" },
  reasonAllDeclined: { fr: "tous les professionnels sollicités ont décliné", en: "every professional asked declined" },
  reasonNoCandidate: { fr: "aucun professionnel disponible", en: "no available professional" },
  callbackClaimed: { fr: "✋ {name} rappelle le patient de la demande {code}.", en: "✋ {name} is calling back the patient of request {code}." },
  callbackClosed: { fr: "Demande {code} close : {outcome}.", en: "Request {code} closed: {outcome}." },
  outcomeUnknown: { fr: "Issue inconnue « {input} ». Issues possibles : garde, 15, mt, vu, injoignable, sans-objet.", en: "Unknown outcome \"{input}\". Possible outcomes: garde, 15, mt, vu, injoignable, sans-objet." },
  // The case room.
  caseRoomName: { fr: "Cas {code}", en: "Case {code}" },
  caseRoomIntro: {
    fr: "Salon chiffré du cas {code} : {requester} (demandeur) et {acceptor} ({mode}).\n{profession} — {commune} — sous {delay} h — {age} ans, {gp}{criteria}\nBesoin : {need}\n{requesterName}, donnez ici l'identité du patient (nom, date de naissance) et son téléphone. Ce salon est chiffré de bout en bout ; son nom ne contient aucune donnée du patient.",
    en: "Encrypted room for case {code}: {requester} (requester) and {acceptor} ({mode}).\n{profession} — {commune} — within {delay} h — aged {age}, {gp}{criteria}\nNeed: {need}\n{requesterName}, please give the patient's identity (name, birth date) and phone number here. This room is end-to-end encrypted; its name holds no patient data.",
  },
  teleconsultationHowTo: {
    fr: "\n💻 Téléconsultation : lancez l'appel vidéo de ce salon, sur le serveur de la CPTS (Element Web : bouton caméra en haut à droite, « Appel vidéo » ; Element X : icône caméra de l'en-tête) ; l'autre membre le rejoint depuis la bannière.",
    en: "\n💻 Teleconsultation: start this room's video call, on the CPTS's server (Element Web: the camera button at the top right, \"Video call\"; Element X: the camera icon in the header); the other member joins from the banner.",
  },
  regulationRoomName: { fr: "Régulation SNP", en: "SNP regulation" },
  regulationRoomTopic: { fr: "Demandes de soins non programmés à reprendre, rappels patients", en: "Unscheduled-care requests to take over, patient call-backs" },
  // Refusals of the lifecycle.
  refusedAlreadyTaken: { fr: "La demande {code} est déjà prise en charge par {name}. Merci quand même !", en: "Request {code} was already taken by {name}. Thank you all the same!" },
  refusedNotCandidate: { fr: "Vous n'êtes pas sollicité(e) pour la demande {code}.", en: "You were not asked for request {code}." },
  refusedModeNotOffered: { fr: "Ce mode n'est pas demandé pour {code}. Modes possibles : {modes}.", en: "That mode was not asked for {code}. Possible modes: {modes}." },
  refusedEscalated: { fr: "La demande {code} a été transmise à la régulation ; elle n'attend plus de réponse.", en: "Request {code} went to the regulation room; it no longer awaits answers." },
  refusedNotActive: { fr: "La demande {code} n'est plus en attente de cette action.", en: "Request {code} no longer awaits that action." },
  refusedAlreadyClaimed: { fr: "Le rappel de la demande {code} est déjà pris par {name}.", en: "The call-back of request {code} is already taken by {name}." },
  refusedNotAcceptor: { fr: "Seul(e) {name}, qui a accepté la demande {code}, peut la clore.", en: "Only {name}, who accepted request {code}, can close it." },
  refusedNotClaimer: { fr: "Seul(e) {name}, qui rappelle le patient de {code}, peut clore ce rappel.", en: "Only {name}, who is calling back the patient of {code}, can close this call-back." },
  modeUnknown: { fr: "Mode inconnu « {input} ». Modes possibles : {modes}.", en: "Unknown mode \"{input}\". Possible modes: {modes}." },
  doneAck: { fr: "Merci ! Demande {code} close : soin réalisé.", en: "Thank you! Request {code} closed: care provided." },
  notDoneAck: { fr: "C'est noté : demande {code} close, soin non réalisé ({reason}).", en: "Noted: request {code} closed, care not provided ({reason})." },
  cancelAck: { fr: "Demande {code} annulée ; les professionnels sollicités sont prévenus.", en: "Request {code} cancelled; the professionals asked are told." },
  claimAck: { fr: "C'est à vous : rappelez le patient de la demande {code}, puis `!snp clos {code} <issue>`.", en: "It is yours: call back the patient of request {code}, then `!snp clos {code} <outcome>`." },
  notRequester: { fr: "Seul le demandeur ou un régulateur peut annuler la demande {code}.", en: "Only the requester or a regulator can cancel request {code}." },
  listEmpty: { fr: "Aucune demande SNP en cours.", en: "No SNP request in progress." },
  listHeader: { fr: "Demandes SNP en cours :", en: "SNP requests in progress:" },
  unknownAction: { fr: "Action inconnue « {input} ». {help}", en: "Unknown action \"{input}\". {help}" },
} as const satisfies Record<string, Localized>;

export const MODE_LABELS = {
  telephone: { fr: "conseil téléphonique", en: "phone advice" },
  teleconsultation: { fr: "téléconsultation", en: "teleconsultation" },
  cabinet: { fr: "consultation au cabinet", en: "office visit" },
  domicile: { fr: "visite à domicile", en: "home visit" },
} as const satisfies Record<string, Localized>;

export const GP_LABELS = {
  none: { fr: "sans médecin traitant", en: "no GP" },
  unavailable: { fr: "médecin traitant indisponible", en: "GP unavailable" },
  available: { fr: "médecin traitant disponible", en: "GP available" },
} as const satisfies Record<string, Localized>;

export const STATUS_LABELS = {
  open: { fr: "ouverte", en: "open" },
  redirected: { fr: "réorientée", en: "redirected" },
  dispatching: { fr: "en attente de réponse", en: "awaiting answers" },
  reminded: { fr: "relancée", en: "reminded" },
  accepted: { fr: "acceptée", en: "accepted" },
  done: { fr: "réalisée", en: "done" },
  "not-done": { fr: "non réalisée", en: "not done" },
  escalated: { fr: "à la régulation", en: "with the regulation room" },
  "callback-claimed": { fr: "rappel en cours", en: "call-back in progress" },
  closed: { fr: "close", en: "closed" },
  cancelled: { fr: "annulée", en: "cancelled" },
} as const satisfies Record<string, Localized>;

export const OUTCOME_LABELS = {
  garde: { fr: "orienté vers la garde", en: "sent to the on-call service" },
  "samu-15": { fr: "orienté vers le 15", en: "sent to the 15" },
  "own-gp": { fr: "orienté vers son médecin traitant", en: "sent to their GP" },
  "seen-by-member": { fr: "pris en charge par un membre", en: "seen by a member" },
  unreachable: { fr: "patient injoignable", en: "patient unreachable" },
  "no-longer-needed": { fr: "sans objet", en: "no longer needed" },
} as const satisfies Record<string, Localized>;

export const REDIRECTION_LABELS = {
  garde: { fr: "service de garde (116 117)", en: "on-call service (116 117)" },
  "samu-15": { fr: "le 15 si aggravation", en: "the 15 if it worsens" },
  "own-gp": { fr: "son médecin traitant", en: "their GP" },
} as const satisfies Record<string, Localized>;
