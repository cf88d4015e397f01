import type { Localized } from "../core/i18n/lang.ts";

export const DIRECTORY_MESSAGES = {
  botName: { fr: "Annuaire CPTS", en: "CPTS directory" },
  inscriptionSummary: {
    fr: "Rattacher votre compte à votre numéro RPPS pour devenir membre vérifié",
    en: "Link your account to your RPPS number to become a verified member",
  },
  rppsParam: { fr: "votre numéro RPPS (11 chiffres)", en: "your RPPS number (11 digits)" },
  rppsMissing: {
    fr: "Indiquez votre numéro RPPS (11 chiffres, sur votre carte CPS), par exemple : !inscription 10001234567",
    en: "Please give your RPPS number (11 digits, on your CPS card), for example: !inscription 10001234567",
  },
  rppsInvalid: {
    fr: "Un numéro RPPS compte 11 chiffres ; « {input} » n'en est pas un. Exemple : !inscription 10001234567",
    en: "An RPPS number has 11 digits; \"{input}\" is not one. Example: !inscription 10001234567",
  },
  rppsUnknown: {
    fr: "Je ne trouve pas le RPPS {rpps} parmi les professionnels exerçant sur le territoire de la CPTS. Vérifiez le numéro ; si vous exercez bien ici, écrivez à la coordination.",
    en: "I cannot find RPPS {rpps} among the professionals practising in the CPTS territory. Please check the number; if you do practise here, write to the coordination team.",
  },
  alreadyMember: {
    fr: "Votre compte est déjà vérifié ({name}, {profession}). Bienvenue !",
    en: "Your account is already verified ({name}, {profession}). Welcome!",
  },
  alreadyPending: {
    fr: "Votre demande d'inscription attend déjà la validation de la coordination. Je vous préviens dès qu'elle est traitée.",
    en: "Your membership request is already waiting for the coordination team. I will tell you as soon as it is handled.",
  },
  rppsTaken: {
    fr: "Ce numéro RPPS est déjà rattaché à un autre compte. S'il s'agit d'une erreur, écrivez à la coordination.",
    en: "This RPPS number is already linked to another account. If this is a mistake, please write to the coordination team.",
  },
  requestSent: {
    fr: "Merci ! Votre demande (RPPS {rpps} : {name}, {profession}) est transmise à la coordination. Je vous préviens ici dès qu'elle est validée.",
    en: "Thank you! Your request (RPPS {rpps}: {name}, {profession}) has been sent to the coordination team. I will tell you here as soon as it is approved.",
  },
  coordinationRequest: {
    fr: "Demande d'inscription de {userId} (nom affiché : {displayName}) : RPPS {rpps} — {name}, {profession}, {communes}.\n{nameCheck}\nRéagissez ✅ pour valider ou ❌ pour refuser.",
    en: "Membership request from {userId} (display name: {displayName}): RPPS {rpps} — {name}, {profession}, {communes}.\n{nameCheck}\nReact ✅ to approve or ❌ to refuse.",
  },
  nameMatches: { fr: "Le nom affiché correspond à l'annuaire.", en: "The display name matches the directory." },
  nameDiffers: {
    fr: "⚠️ Le nom affiché ne correspond pas au nom de l'annuaire : vérifiez avant de valider.",
    en: "⚠️ The display name does not match the directory: check before approving.",
  },
  autoApproved: {
    fr: "Votre identité Pro Santé Connect correspond à l'annuaire : votre compte est vérifié.",
    en: "Your Pro Santé Connect identity matches the directory: your account is verified.",
  },
  autoApprovedNotice: {
    fr: "✅ Inscription de {userId} validée automatiquement (compte Pro Santé Connect de ce RPPS).",
    en: "✅ Membership of {userId} approved automatically (Pro Santé Connect account of this RPPS).",
  },
  approvedNotice: { fr: "✅ Inscription de {userId} validée par {by}.", en: "✅ Membership of {userId} approved by {by}." },
  refusedNotice: { fr: "❌ Inscription de {userId} refusée par {by}.", en: "❌ Membership of {userId} refused by {by}." },
  alreadyDecided: {
    fr: "Cette demande a déjà été traitée ({status} par {by}) : rien n'est changé.",
    en: "This request was already handled ({status} by {by}): nothing changed.",
  },
  statusApproved: { fr: "validée", en: "approved" },
  statusRefused: { fr: "refusée", en: "refused" },
  welcome: {
    fr: "Bienvenue dans la {cpts} ! Votre compte est vérifié. Je vous ai invité(e) dans l'espace de la CPTS, le salon « Général » et le salon « {room} » : acceptez les invitations pour y accéder.",
    en: "Welcome to {cpts}! Your account is verified. I have invited you to the CPTS space, the \"Général\" room and the \"{room}\" room: accept the invitations to join.",
  },
  refusedDirect: {
    fr: "Votre demande d'inscription n'a pas été validée par la coordination. Pour en savoir plus, écrivez à la coordination de la {cpts}.",
    en: "Your membership request was not approved by the coordination team. To know more, please write to the {cpts} coordination team.",
  },
  memberSummary: { fr: "Retirer un membre de la CPTS (coordination)", en: "Remove a member from the CPTS (coordination)" },
  memberActionParam: { fr: "retirer", en: "retirer (remove)" },
  memberUserParam: { fr: "le compte du membre, par exemple @nom:serveur", en: "the member's account, e.g. @name:server" },
  memberActionUnknown: {
    fr: "Action inconnue « {action} ». Usage : !membre retirer @compte:serveur",
    en: "Unknown action \"{action}\". Usage: !membre retirer @account:server",
  },
  coordinatorsOnly: { fr: "Cette commande est réservée à la coordination.", en: "This command is for the coordination team only." },
  notAMember: { fr: "{userId} n'est pas un membre vérifié.", en: "{userId} is not a verified member." },
  memberRemoved: {
    fr: "{userId} n'est plus membre vérifié et a quitté les salons communs ({count}).",
    en: "{userId} is no longer a verified member and has left the community rooms ({count}).",
  },
  removedDirect: {
    fr: "Votre compte n'est plus membre vérifié de la {cpts} ; vous avez quitté ses salons communs. Pour toute question, écrivez à la coordination.",
    en: "Your account is no longer a verified member of {cpts}; you have left its community rooms. For any question, please write to the coordination team.",
  },
  removalReason: { fr: "Membre retiré par la coordination", en: "Member removed by the coordination team" },
} as const satisfies Record<string, Localized>;
