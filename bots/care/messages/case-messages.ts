import type { Localized } from "../../core/i18n/lang.ts";

/** What the care bot says about patient cases, their teams, alerts and closure. */
export const CASE_MESSAGES = {
  botName: { fr: "Équipes de soins", en: "Care teams" },
  membersOnly: {
    fr: "Les équipes de soins sont réservées aux membres vérifiés de la CPTS. Inscrivez-vous auprès de l'annuaire avec `!inscription <RPPS>`.",
    en: "Care teams are for verified members of the CPTS. Please register with the directory bot: `!inscription <RPPS>`.",
  },
  // !patient
  patientSummary: {
    fr: "Ouvrir un salon chiffré pour l'équipe de soins d'un patient : `!patient` (guidé) ou `!patient <thème> [@membre|RPPS…]`",
    en: "Open an encrypted room for a patient's care team: `!patient` (guided) or `!patient <theme> [@member|RPPS…]`",
  },
  patientParam: { fr: "rien (guidé), ou le thème du suivi sans nom de patient, puis les membres (@compte ou RPPS)", en: "nothing (guided), or the care theme without the patient's name, then the members (@account or RPPS)" },
  askTheme: {
    fr: "Nouveau cas patient. Quel est le thème du suivi ? Il sera le nom du salon : pas de nom ni de date de naissance (ex. : plaie pied diabétique, retour à domicile après AVC). « annuler » pour arrêter.",
    en: "New patient case. What is the care theme? It becomes the room's name: no name or birth date (e.g. plaie pied diabétique, retour à domicile après AVC). \"annuler\" to stop.",
  },
  themeTooShort: { fr: "Le thème est trop court (3 caractères au moins). Quel est le thème du suivi ?", en: "The theme is too short (3 characters at least). What is the care theme?" },
  themeTooLong: { fr: "Le thème est trop long (60 caractères au plus) : il s'affiche comme nom du salon. Quel est le thème du suivi ?", en: "The theme is too long (60 characters at most): it shows as the room's name. What is the care theme?" },
  themeNoLetters: { fr: "Le thème doit contenir des mots (ex. : plaie pied diabétique).", en: "The theme must contain words (e.g. plaie pied diabétique)." },
  themeLooksIdentifying: {
    fr: "⚠️ « {found} » ressemble à un nom, une date ou un identifiant. Le nom du salon est visible du serveur et dans la liste des salons de chacun : l'identité du patient va dans la fiche de liaison chiffrée, pas dans le thème.\nRépondez « oui » pour garder « {theme} » tel quel, ou écrivez un autre thème.",
    en: "⚠️ \"{found}\" looks like a name, a date or an identifier. The room's name is visible to the server and in everyone's room list: the patient's identity goes in the encrypted patient card, not in the theme.\nAnswer \"oui\" to keep \"{theme}\" as it is, or write another theme.",
  },
  cancelled: { fr: "C'est abandonné ; rien n'a été créé.", en: "Dropped; nothing was created." },
  caseCreated: {
    fr: "Cas {label} ouvert : salon chiffré « {name} » ({link}). {invited}{refused}Rejoignez-le : j'y attends la fiche de liaison (identité du patient), que j'épinglerai.",
    en: "Case {label} opened: encrypted room \"{name}\" ({link}). {invited}{refused}Join it: I will ask for the patient card (identity) there and pin it.",
  },
  caseCreatedInvited: { fr: "Invité(s) : {names}. ", en: "Invited: {names}. " },
  caseCreatedRefused: { fr: "Non invité(s) : {refusals}. ", en: "Not invited: {refusals}. " },
  caseCreationPending: {
    fr: "Cas {label} enregistré ; le salon est en cours de création, je vous y invite dans un instant.",
    en: "Case {label} recorded; its room is being created, I will invite you in a moment.",
  },
  roomName: { fr: "Équipe {label}", en: "Team {label}" },
  roomTopic: {
    fr: "Équipe de soins {code} ({theme}). Identité du patient : dans la fiche de liaison épinglée (chiffrée). Commandes : !inviter, !alerte, !adresser, !avis, !clore.",
    en: "Care team {code} ({theme}). Patient identity: in the pinned patient card (encrypted). Commands: !inviter, !alerte, !adresser, !avis, !clore.",
  },
  roomIntro: {
    fr: "👥 Équipe de soins {label}\nOuvert par {creator}. Équipe : {team}.\nIci : partagez ordonnances, photos, comptes rendus. `!alerte <message>` prévient toute l'équipe ; `!inviter kiné Douai` ou `!inviter @compte` ajoute un membre (gestionnaires) ; `!adresser` et `!avis` pour un adressage ou une téléexpertise ; `!clore` quand le suivi est terminé.",
    en: "👥 Care team {label}\nOpened by {creator}. Team: {team}.\nHere: share prescriptions, photos, reports. `!alerte <message>` alerts the whole team; `!inviter kiné Douai` or `!inviter @account` adds a member (managers); `!adresser` and `!avis` for a referral or a téléexpertise; `!clore` when the care is over.",
  },
  askCard: {
    fr: "📋 {name}, écrivez ici en un seul message la fiche de liaison : nom et prénom du patient, date de naissance (JJ/MM/AAAA) et INS si vous le connaissez. Exemple : DUPONT Jeanne 12/03/1941 INS 2 41 03 59 123 456 57. Je la mettrai en forme et l'épinglerai.",
    en: "📋 {name}, please write the patient card here in one message: the patient's last and first name, birth date (DD/MM/YYYY) and INS if you know it. Example: DUPONT Jeanne 12/03/1941 INS 2 41 03 59 123 456 57. I will format and pin it.",
  },
  cardProblems: { fr: "Je ne peux pas établir la fiche : {problems}. Réécrivez-la en un message (ou « annuler »).", en: "I cannot make the card: {problems}. Please write it again in one message (or \"annuler\")." },
  cardNameMissing: { fr: "nom et prénom manquants", en: "last and first name missing" },
  cardBirthDateMissing: { fr: "date de naissance manquante (JJ/MM/AAAA)", en: "birth date missing (DD/MM/YYYY)" },
  cardBirthDateInvalid: { fr: "date de naissance impossible", en: "impossible birth date" },
  cardInsInvalid: { fr: "INS invalide (la clé ne correspond pas : vérifiez les 15 caractères)", en: "invalid INS (the key does not match: check the 15 characters)" },
  card: {
    fr: "📋 Fiche de liaison — {code}\nPatient : {name}\nDate de naissance : {birthDate}\nINS : {ins}{phone}\nÉtablie par {author} le {date}. Message épinglé ; ne le recopiez pas hors de ce salon.",
    en: "📋 Patient card — {code}\nPatient: {name}\nBirth date: {birthDate}\nINS: {ins}{phone}\nWritten by {author} on {date}. Pinned message; do not copy it outside this room.",
  },
  cardPhone: { fr: "\nTéléphone : {phone}", en: "\nPhone: {phone}" },
  cardInsUnknown: { fr: "non renseigné", en: "not given" },
  cardPinned: { fr: "Fiche de liaison épinglée. Vous pouvez effacer votre message si vous le souhaitez.", en: "Patient card pinned. You may delete your message if you wish." },
  ficheSummary: { fr: "Refaire la fiche de liaison du cas (dans le salon du cas, gestionnaires)", en: "Write the case's patient card again (in the case room, managers)" },
  // Commands in the wrong place, on a closed case.
  notInCaseRoom: {
    fr: "Cette commande s'utilise dans le salon d'un cas patient (ou avec son code, ex. `!{command} C-7K3F`). `!mes-patients` liste vos cas.",
    en: "Use this command in a patient case's room (or with its code, e.g. `!{command} C-7K3F`). `!mes-patients` lists your cases.",
  },
  unknownCase: { fr: "Je ne trouve pas le cas « {code} ». `!mes-patients` liste vos cas.", en: "I cannot find case \"{code}\". `!mes-patients` lists your cases." },
  notInTeam: { fr: "Vous ne faites pas partie de l'équipe du cas {code}.", en: "You are not in the team of case {code}." },
  managersOnly: { fr: "Seuls les gestionnaires du cas {code} peuvent le faire : {managers}.", en: "Only the managers of case {code} can do this: {managers}." },
  caseClosed: { fr: "Le cas {code} est clos. `!rouvrir {code}` le rouvre (gestionnaires).", en: "Case {code} is closed. `!rouvrir {code}` reopens it (managers)." },
  // !inviter
  inviteSummary: { fr: "Inviter un membre dans l'équipe du cas : `!inviter kiné Douai`, un nom, un RPPS ou @compte", en: "Invite a member into the case team: `!inviter kiné Douai`, a name, an RPPS or @account" },
  inviteParam: { fr: "une recherche dans l'annuaire, un nom, un ou plusieurs RPPS ou @comptes", en: "a directory search, a name, one or more RPPS or @accounts" },
  inviteEmpty: { fr: "Qui inviter ? Par exemple `!inviter kiné Douai`, `!inviter 10001234567` ou `!inviter @prenom.nom:serveur`.", en: "Whom to invite? For example `!inviter kiné Douai`, `!inviter 10001234567` or `!inviter @first.last:server`." },
  inviteMixed: {
    fr: "Donnez soit une recherche (`!inviter kiné Douai`), soit une liste de comptes ou de RPPS (`!inviter @a:serveur 10001234567`), pas les deux.",
    en: "Give either a search (`!inviter kiné Douai`) or a list of accounts or RPPS (`!inviter @a:server 10001234567`), not both.",
  },
  invited: { fr: "✅ {name} est invité(e) dans l'équipe {code}.", en: "✅ {name} is invited into team {code}." },
  refusedSelf: { fr: "Vous faites déjà partie de l'équipe : inutile de vous inviter.", en: "You are already in the team: no need to invite yourself." },
  refusedBot: { fr: "Je suis déjà dans l'équipe.", en: "I am already in the team." },
  refusedNotMember: {
    fr: "{name} n'est pas membre vérifié(e) de la CPTS : seuls les membres vérifiés peuvent être invités. Il ou elle peut s'inscrire auprès de l'annuaire (`!inscription <RPPS>`).",
    en: "{name} is not a verified member of the CPTS: only verified members can be invited. They can register with the directory bot (`!inscription <RPPS>`).",
  },
  refusedDeactivated: { fr: "{name} ne fait plus partie de la CPTS (compte désactivé) : impossible de l'inviter.", en: "{name} is no longer a member of the CPTS (account deactivated): they cannot be invited." },
  refusedAlreadyIn: { fr: "{name} fait déjà partie de l'équipe {code}.", en: "{name} is already in team {code}." },
  refusedAlreadyInvited: { fr: "{name} est déjà invité(e) dans l'équipe {code} : pas de seconde invitation.", en: "{name} is already invited into team {code}: no second invitation." },
  rppsUnknown: { fr: "Le RPPS {rpps} n'est pas dans l'annuaire de la CPTS.", en: "RPPS {rpps} is not in the CPTS directory." },
  rppsNoAccount: { fr: "{name} (RPPS {rpps}) n'a pas de compte sur la messagerie de la CPTS : seuls les membres vérifiés peuvent être invités.", en: "{name} (RPPS {rpps}) has no account on the CPTS messaging: only verified members can be invited." },
  searchEmpty: { fr: "Je n'ai pas compris la recherche. Exemples : `kiné Douai`, `IDE Sin-le-Noble`, `Marie Curie`.", en: "I did not understand the search. Examples: `kiné Douai`, `IDE Sin-le-Noble`, `Marie Curie`." },
  searchTooLong: { fr: "La recherche est trop longue (200 caractères au plus).", en: "The search is too long (200 characters at most)." },
  searchNobody: { fr: "Aucun membre de la messagerie ne correspond à « {query} »{others}.", en: "No member of the messaging matches \"{query}\"{others}." },
  searchOthers: { fr: " ({count} professionnel(s) de l'annuaire correspondent mais n'ont pas de compte vérifié)", en: " ({count} professional(s) of the directory match but have no verified account)" },
  chooseOne: {
    fr: "Plusieurs membres correspondent à « {query} » :\n{list}\nRépondez par le ou les numéros (ex. « 1 » ou « 1 3 »), ou « annuler ».",
    en: "Several members match \"{query}\":\n{list}\nAnswer with the number(s) (e.g. \"1\" or \"1 3\"), or \"annuler\".",
  },
  chooseInvalid: { fr: "Répondez par des numéros entre 1 et {max} (ex. « 1 » ou « 1 3 »), ou « annuler ».", en: "Please answer with numbers between 1 and {max} (e.g. \"1\" or \"1 3\"), or \"annuler\"." },
  // !retirer, !gestionnaire
  removeSummary: { fr: "Retirer quelqu'un de l'équipe du cas (gestionnaires) : `!retirer @compte`", en: "Remove someone from the case team (managers): `!retirer @account`" },
  managerSummary: { fr: "Donner à un membre de l'équipe le pouvoir d'inviter et de retirer : `!gestionnaire @compte`", en: "Give a team member the power to invite and remove: `!gestionnaire @account`" },
  personParam: { fr: "@compte ou RPPS", en: "@account or RPPS" },
  personInvalid: { fr: "« {input} » n'est ni un compte (@prenom.nom:serveur) ni un RPPS (11 chiffres).", en: "\"{input}\" is neither an account (@first.last:server) nor an RPPS (11 digits)." },
  removed: { fr: "{name} a été retiré(e) de l'équipe {code}.", en: "{name} was removed from team {code}." },
  removeNotInTeam: { fr: "{name} ne fait pas partie de l'équipe {code}.", en: "{name} is not in team {code}." },
  removeLastManager: {
    fr: "Impossible : {name} est la dernière personne qui peut inviter et retirer dans l'équipe {code}. Nommez d'abord un autre gestionnaire (`!gestionnaire @compte`).",
    en: "Not possible: {name} is the last person who can invite and remove in team {code}. First name another manager (`!gestionnaire @account`).",
  },
  removeBot: { fr: "Je reste dans l'équipe : c'est moi qui garde le salon conforme (nom, fiche, clôture).", en: "I stay in the team: I keep the room compliant (name, card, closure)." },
  managerNamed: { fr: "{name} peut désormais inviter et retirer des membres de l'équipe {code}.", en: "{name} can now invite and remove members of team {code}." },
  managerAlready: { fr: "{name} est déjà gestionnaire de l'équipe {code}.", en: "{name} already manages team {code}." },
  managerNotInTeam: { fr: "{name} doit d'abord faire partie de l'équipe {code} (`!inviter`).", en: "{name} must first be in team {code} (`!inviter`)." },
  // !alerte
  alertSummary: { fr: "Alerter toute l'équipe : le patient est en difficulté (`!alerte <message>`)", en: "Alert the whole team: the patient is in distress (`!alerte <message>`)" },
  alertParam: { fr: "ce qui se passe", en: "what is happening" },
  alertMissing: { fr: "Que se passe-t-il ? Par exemple `!alerte chute à domicile, patiente confuse`.", en: "What is happening? For example `!alerte chute à domicile, patiente confuse`." },
  alert: {
    fr: "🚨 URGENT — alerte de {name} ({time}) — {code}\n{message}\n{mentions}\nRéagissez à ce message (👍 ou ✅) pour signaler que vous la prenez en compte.",
    en: "🚨 URGENT — alert from {name} ({time}) — {code}\n{message}\n{mentions}\nReact to this message (👍 or ✅) to say you are dealing with it.",
  },
  alertSent: { fr: "Alerte transmise à l'équipe ({count} personne(s)). Je relance si personne ne réagit dans {delay}.", en: "Alert sent to the team ({count} person(s)). I will remind them if nobody reacts within {delay}." },
  alertAcknowledged: { fr: "✅ Alerte prise en compte par {name} à {time}.", en: "✅ Alert acknowledged by {name} at {time}." },
  alertReminder: {
    fr: "⏰ Rappel {n}/{max} : l'alerte de {name} ({time}) n'a été prise en compte par personne. {mentions} — réagissez au message d'alerte.",
    en: "⏰ Reminder {n}/{max}: nobody has acknowledged {name}'s alert ({time}). {mentions} — react to the alert message.",
  },
  // !clore, !rouvrir
  closeSummary: { fr: "Clore le cas : le salon passe en lecture seule (gestionnaires) ; `!clore C-7K3F` hors du salon", en: "Close the case: the room becomes read-only (managers); `!clore C-7K3F` outside the room" },
  reopenSummary: { fr: "Rouvrir un cas clos, pendant la durée de conservation : `!rouvrir C-7K3F`", en: "Reopen a closed case, within the retention time: `!rouvrir C-7K3F`" },
  codeParam: { fr: "le code du cas (ex. C-7K3F)", en: "the case code (e.g. C-7K3F)" },
  closedAnnounce: {
    fr: "🔒 Cas {code} clos par {name} le {date}. Le salon est en lecture seule ; ses messages sont conservés {days} jours selon la politique de la CPTS, puis effacés du serveur. Un gestionnaire peut le rouvrir d'ici là : `!rouvrir {code}` (en message direct avec moi).",
    en: "🔒 Case {code} closed by {name} on {date}. The room is read-only; its messages are kept {days} days under the CPTS's policy, then erased from the server. A manager can reopen it until then: `!rouvrir {code}` (in a direct chat with me).",
  },
  reopenedAnnounce: { fr: "🔓 Cas {code} rouvert par {name}. Le salon est de nouveau ouvert aux messages.", en: "🔓 Case {code} reopened by {name}. The room is open to messages again." },
  closedAck: { fr: "Cas {code} clos.", en: "Case {code} closed." },
  reopenedAck: { fr: "Cas {code} rouvert.", en: "Case {code} reopened." },
  alreadyClosed: { fr: "Le cas {code} est déjà clos.", en: "Case {code} is already closed." },
  notClosed: { fr: "Le cas {code} n'est pas clos.", en: "Case {code} is not closed." },
  retentionOver: {
    fr: "Le cas {code} ne peut plus être rouvert : sa durée de conservation est écoulée. Ouvrez un nouveau cas avec `!patient`.",
    en: "Case {code} can no longer be reopened: its retention time is over. Open a new case with `!patient`.",
  },
  // !mes-patients
  myCasesSummary: { fr: "Vos cas patients ouverts (et clos récemment)", en: "Your open patient cases (and recently closed ones)" },
  myCasesEmpty: { fr: "Vous ne faites partie d'aucune équipe de soins. `!patient` en ouvre une.", en: "You are in no care team. `!patient` opens one." },
  myCasesHeader: { fr: "Vos cas patients :", en: "Your patient cases:" },
  myCaseLine: { fr: "{label} — {status}, ouvert le {opened}{role} — {link}", en: "{label} — {status}, opened on {opened}{role} — {link}" },
  myCaseOpen: { fr: "en cours", en: "open" },
  myCaseClosed: { fr: "clos le {date} (réouvrable jusqu'au {until})", en: "closed on {date} (can be reopened until {until})" },
  myCaseInvited: { fr: " ; invitation en attente", en: "; invitation pending" },
  myCaseManager: { fr: " ; vous êtes gestionnaire", en: "; you manage it" },
} as const satisfies Record<string, Localized>;
