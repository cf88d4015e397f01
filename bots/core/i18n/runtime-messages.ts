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
  languageSummary: { fr: "Choisir la langue de mes réponses (fr ou en)", en: "Choose the language of my answers (fr or en)" },
} as const satisfies Record<string, Localized>;
