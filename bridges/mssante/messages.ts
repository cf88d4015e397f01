import type { Localized } from "../../bots/core/i18n/lang.ts";

export const MSSANTE_MESSAGES = {
  botName: { fr: "Passerelle MSSanté", en: "MSSanté bridge" },

  // A received mail, as shown in a room.
  from: { fr: "De", en: "From" },
  to: { fr: "À", en: "To" },
  cc: { fr: "Cc", en: "Cc" },
  subject: { fr: "Objet", en: "Subject" },
  noSubject: { fr: "(sans objet)", en: "(no subject)" },
  noText: { fr: "(courriel sans texte)", en: "(mail without text)" },
  attachmentsFollow: { fr: "📎 Pièces jointes dans le fil : {names}", en: "📎 Attachments in the thread: {names}" },
  originalMail: { fr: "courriel d'origine (.eml)", en: "original mail (.eml)" },
  notCarried: {
    fr: "⚠️ Non transmis, trop volumineux pour le serveur Matrix (limite {limit}) : {names}. Le courriel complet reste dans la boîte MSSanté (dossier « {folder} »).",
    en: "⚠️ Not carried, too large for the Matrix server (limit {limit}): {names}. The whole mail stays in the MSSanté mailbox (folder “{folder}”).",
  },
  textTruncated: {
    fr: "⚠️ Texte trop long pour un message : la suite est dans le courriel d'origine (.eml).",
    en: "⚠️ Text too long for one message: the rest is in the original mail (.eml).",
  },
  htmlDropped: {
    fr: "ℹ️ Mise en forme trop volumineuse : texte brut affiché, original dans le fichier .eml.",
    en: "ℹ️ Formatting too large: plain text shown, original in the .eml file.",
  },
  remoteImagesBlocked: {
    fr: "🛡️ {count} image(s) distante(s) non chargée(s) (elles signaleraient la lecture à l'expéditeur).",
    en: "🛡️ {count} remote image(s) not loaded (they would tell the sender the mail was read).",
  },
  xdmVerified: {
    fr: "✅ Paquet IHE XDM « {zip} » : {count} document(s) vérifié(s) (empreinte et taille conformes) :",
    en: "✅ IHE XDM package “{zip}”: {count} document(s) verified (hash and size match):",
  },
  xdmDocumentLine: {
    fr: "{file} — {type} : « {title} »",
    en: "{file} — {type}: “{title}”",
  },
  xdmTypeUnknown: {
    fr: "type non indiqué",
    en: "type not given",
  },
  xdmHashMismatch: {
    fr: "⚠️ Paquet IHE XDM « {zip} » : l'empreinte de {document} ne correspond pas à METADATA.XML ; document non extrait.",
    en: "⚠️ IHE XDM package “{zip}”: the hash of {document} does not match METADATA.XML; not extracted.",
  },
  xdmSizeMismatch: {
    fr: "⚠️ Paquet IHE XDM « {zip} » : la taille de {document} ne correspond pas à METADATA.XML ; document non extrait.",
    en: "⚠️ IHE XDM package “{zip}”: the size of {document} does not match METADATA.XML; not extracted.",
  },
  xdmMissing: {
    fr: "⚠️ Paquet IHE XDM « {zip} » : {document} annoncé dans METADATA.XML est absent.",
    en: "⚠️ IHE XDM package “{zip}”: {document}, listed in METADATA.XML, is missing.",
  },
  xdmBadMetadata: {
    fr: "⚠️ Paquet IHE XDM « {zip} » : METADATA.XML illisible ; documents non extraits.",
    en: "⚠️ IHE XDM package “{zip}”: METADATA.XML unreadable; documents not extracted.",
  },
  zipRefused: {
    fr: "🛡️ Archive « {zip} » non ouverte ({reason}) : elle est jointe telle quelle, ne l'ouvrez qu'avec prudence.",
    en: "🛡️ Archive “{zip}” not opened ({reason}): it is attached as it came, open it with care.",
  },
  zipUnsafePath: { fr: "chemin de fichier dangereux", en: "dangerous file path" },
  zipTooMany: { fr: "trop de fichiers", en: "too many files" },
  zipTooLarge: { fr: "trop volumineuse une fois décompressée", en: "too large once unpacked" },
  zipRatio: { fr: "taux de compression suspect", en: "suspicious compression ratio" },
  zipUnreadable: { fr: "archive illisible", en: "unreadable archive" },
  unreadableMail: {
    fr: "⚠️ Courriel illisible par la passerelle : il est joint tel quel (.eml).",
    en: "⚠️ The bridge could not read this mail: it is attached as it came (.eml).",
  },
  routedByPatient: { fr: "Classé dans ce dossier par l'identifiant du patient.", en: "Filed in this case by the patient's identifier." },
  routedByTag: { fr: "Classé dans ce dossier par son étiquette.", en: "Filed in this case by its tag." },
  triageIntro: {
    fr: "Courriel MSSanté sans destinataire connu dans la CPTS : à orienter.",
    en: "MSSanté mail with no known recipient in the CPTS: to be directed.",
  },

  // Reports on earlier mails.
  dsnFailed: { fr: "📭 Non remis à {recipient}{detail}.", en: "📭 Not delivered to {recipient}{detail}." },
  dsnDelayed: { fr: "⏳ Remise retardée pour {recipient}{detail}.", en: "⏳ Delivery delayed for {recipient}{detail}." },
  dsnDelivered: { fr: "📬 Remis à {recipient}.", en: "📬 Delivered to {recipient}." },
  dsnOther: { fr: "ℹ️ {recipient} : {action}{detail}.", en: "ℹ️ {recipient}: {action}{detail}." },
  dsnEmpty: { fr: "ℹ️ Avis de remise sans destinataire lisible.", en: "ℹ️ Delivery notice without a readable recipient." },
  mdnDisplayed: { fr: "👁️ Lu par {recipient}.", en: "👁️ Read by {recipient}." },
  mdnOther: { fr: "ℹ️ Accusé de {recipient} : {disposition}.", en: "ℹ️ Receipt from {recipient}: {disposition}." },
  reportUnmatched: {
    fr: "Cet avis concerne un courriel que la passerelle ne retrouve pas ({messageId}).",
    en: "This notice is about a mail the bridge cannot find ({messageId}).",
  },
  unknownRecipient: { fr: "destinataire inconnu", en: "unknown recipient" },

  // Outbound.
  mailSummary: { fr: "Envoyer un courriel MSSanté depuis la boîte de la CPTS", en: "Send an MSSanté mail from the CPTS mailbox" },
  mailAddressParam: { fr: "l'adresse MSSanté du destinataire", en: "the recipient's MSSanté address" },
  mailTextParam: {
    fr: "le texte (sur plusieurs lignes : la première sert d'objet)",
    en: "the text (on several lines: the first one is the subject)",
  },
  mailBadAddress: { fr: "« {address} » n'est pas une adresse de messagerie.", en: "“{address}” is not a mail address." },
  mailDraftOpened: {
    fr: "✉️ Courriel pour {address} : il partira dans {seconds} s. Ajoutez du texte ou des pièces jointes en répondant dans ce fil d'ici là.",
    en: "✉️ Mail to {address}: it leaves in {seconds} s. Add text or attachments by replying in this thread until then.",
  },
  mailDraftWaiting: {
    fr: "✉️ Courriel pour {address} : écrivez le texte et joignez les fichiers en répondant dans ce fil ; il partira {seconds} s après votre dernier message.",
    en: "✉️ Mail to {address}: write the text and attach files by replying in this thread; it leaves {seconds} s after your last message.",
  },
  mailSent: { fr: "📤 Courriel parti à {time} pour {recipients}.", en: "📤 Mail left at {time} for {recipients}." },
  mailDelayed: {
    fr: "⏳ Le serveur MSSanté a différé l'envoi ({answer}) : nouvel essai automatique, je préviens ici quand il part.",
    en: "⏳ The MSSanté server deferred the mail ({answer}): it is retried automatically, I will say here when it leaves.",
  },
  mailRefused: {
    fr: "❌ Courriel non envoyé : le serveur MSSanté l'a refusé ({answer}). Vérifiez l'adresse ou réessayez plus tard.",
    en: "❌ Mail not sent: the MSSanté server refused it ({answer}). Check the address or try again later.",
  },
  mailGaveUp: {
    fr: "❌ Courriel non envoyé après {hours} h d'essais ({answer}).",
    en: "❌ Mail not sent after {hours} h of attempts ({answer}).",
  },
  mailEmpty: { fr: "Rien à envoyer : aucun texte ni pièce jointe dans ce fil.", en: "Nothing to send: no text or attachment in this thread." },
  mailPartUnreadable: {
    fr: "❌ Courriel non envoyé : un message ou une pièce jointe du fil n'a pas pu être relu ({detail}).",
    en: "❌ Mail not sent: a message or attachment of the thread could not be read back ({detail}).",
  },
  defaultSubject: { fr: "Message de {name}", en: "Message from {name}" },

  // Case links.
  caseSummary: {
    fr: "Relier ce salon à un dossier patient pour y recevoir ses courriels : `ins <INS>`, `etiquette <code>`, `voir`, `fermer`",
    en: "Link this room to a patient case to receive its mail here: `ins <INS>`, `etiquette <code>`, `voir`, `fermer`",
  },
  caseActionParam: { fr: "ins, etiquette, voir ou fermer", en: "ins, etiquette (tag), voir (show) or fermer (close)" },
  caseValueParam: { fr: "l'INS du patient ou le code du dossier", en: "the patient's INS or the case code" },
  caseUnknownAction: { fr: "Action inconnue « {action} » : ins, etiquette, voir ou fermer.", en: "Unknown action “{action}”: ins, etiquette, voir or fermer." },
  caseBadIns: { fr: "Un INS s'écrit avec 15 chiffres (13 + clé).", en: "An INS is 15 digits (13 + key)." },
  caseBadTag: { fr: "Un code de dossier fait 2 à 40 lettres, chiffres ou tirets.", en: "A case code is 2 to 40 letters, digits or dashes." },
  caseLinkedPatient: {
    fr: "📁 Les courriels MSSanté sur ce patient (en-tête X-MSS-INS ou paquet IHE XDM) arriveront dans ce salon. L'INS n'est conservé que sous forme chiffrée.",
    en: "📁 MSSanté mail about this patient (X-MSS-INS header or IHE XDM package) will arrive in this room. The INS is kept only in keyed-hash form.",
  },
  caseLinkedTag: {
    fr: "📁 Les courriels portant [CAS {tag}] dans l'objet, ou adressés à {subaddress}, arriveront dans ce salon.",
    en: "📁 Mail with [CAS {tag}] in the subject, or sent to {subaddress}, will arrive in this room.",
  },
  caseShow: { fr: "📁 Ce salon reçoit les courriels de {patients} patient(s) et des étiquettes : {tags}.", en: "📁 This room receives mail for {patients} patient(s) and the tags: {tags}." },
  caseNone: { fr: "Ce salon n'est relié à aucun dossier.", en: "This room is not linked to any case." },
  caseClosed: { fr: "📁 Dossier fermé : ce salon ne reçoit plus de courriels par patient ou étiquette ({count} lien(s) retiré(s)).", en: "📁 Case closed: this room no longer receives mail by patient or tag ({count} link(s) removed)." },

  triageRoomName: { fr: "MSSanté — à trier", en: "MSSanté — to sort" },
  triageRoomTopic: {
    fr: "Courriels MSSanté reçus par la CPTS sans destinataire connu : à orienter par la coordination.",
    en: "MSSanté mail received by the CPTS with no known recipient: for the coordinators to direct.",
  },
} as const satisfies Record<string, Localized>;
