import type { Localized } from "./lang.ts";

/** What the runtime itself (not a command) says to people. */
export const RUNTIME_MESSAGES = {
  unencryptedRoom: {
    fr: "Pour protéger les données de santé, je ne traite que les messages chiffrés. Écrivez-moi dans un salon chiffré (les salons de ce serveur le sont par défaut).",
    en: "To protect health data, I only act on encrypted messages. Please write to me in an encrypted room (rooms on this server are encrypted by default).",
  },
  languageSet: {
    fr: "C'est noté : je vous répondrai désormais en français.",
    en: "Noted: I will answer you in English from now on.",
  },
  languageUnknown: {
    fr: "Je ne connais pas la langue « {input} ». Langues disponibles : fr (français), en (anglais).",
    en: "I don't know the language \"{input}\". Available languages: fr (French), en (English).",
  },
  languageParam: { fr: "fr ou en", en: "fr or en" },
  conversationFailed: {
    fr: "Désolé, je n'ai pas pu traiter votre réponse. Réessayez dans un instant ; si cela se reproduit, signalez-le à la coordination avec cette référence : {ref}.",
    en: "Sorry, I could not handle your answer. Please try again in a moment; if it happens again, tell the coordination team this reference: {ref}.",
  },
  unverifiedSession: {
    fr: "🔒 Je n'ai pas lu le message envoyé depuis votre session {session} : cette session n'est pas vérifiée. Pour protéger les données des patients, je ne lis et n'écris qu'aux sessions vérifiées, comme Element. Dans Element, ouvrez Paramètres › Sessions, choisissez cette session et vérifiez-la (depuis une session déjà vérifiée, ou avec votre clé de récupération), puis renvoyez votre message.",
    en: "🔒 I did not read the message sent from your session {session}: this session is not verified. To protect patient data, I only read from and write to verified sessions, as Element does. In Element, open Settings › Sessions, choose that session and verify it (from an already verified session, or with your recovery key), then send your message again.",
  },
  withheldSession: {
    fr: "🔒 Votre session {session} ne m'a pas transmis la clé de son message : je ne peux pas le lire. Vérifiez cette session dans Element (Paramètres › Sessions), et si elle n'écrit qu'aux sessions que vous avez vérifiées, vérifiez aussi le robot (cliquez sur son nom › Vérifier), puis renvoyez votre message.",
    en: "🔒 Your session {session} did not give me the key of its message: I cannot read it. Verify that session in Element (Settings › Sessions), and if it only writes to sessions you verified, verify the bot too (click its name › Verify), then send your message again.",
  },
  pingSummary: { fr: "Vérifier que je vous réponds (connexion chiffrée de bout en bout)", en: "Check that I answer you (end-to-end encrypted)" },
  pong: { fr: "pong — je vous reçois bien, en message chiffré.", en: "pong — I hear you, encrypted end to end." },
  pongVerified: {
    fr: "Votre session est vérifiée (signée par vous) : je lui écris en toute confiance.",
    en: "Your session is verified (signed by you): I write to it with confidence.",
  },
  pongUnverified: {
    fr: "⚠️ Votre session n'est pas vérifiée : je ne lui enverrai pas de données de patients. Vérifiez-la dans Element (Paramètres › Sessions).",
    en: "⚠️ Your session is not verified: I will not send it patient data. Verify it in Element (Settings › Sessions).",
  },
  languageSummary: { fr: "Choisir la langue de mes réponses (fr ou en)", en: "Choose the language of my answers (fr or en)" },
} as const satisfies Record<string, Localized>;
