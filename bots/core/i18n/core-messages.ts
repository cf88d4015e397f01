import type { Localized } from "./lang.ts";

/** Everything the command router itself says, in both interface languages. */
export const CORE_MESSAGES = {
  helpSummary: {
    fr: "Afficher la liste des commandes, ou le détail de l'une d'elles",
    en: "List the commands, or explain one of them",
  },
  helpParam: { fr: "la commande à détailler", en: "the command to explain" },
  helpTitle: { fr: "{bot} — commandes disponibles :", en: "{bot} — available commands:" },
  helpFooter: {
    fr: "Pour le détail d'une commande, tapez {example}.",
    en: "For the details of a command, type {example}.",
  },
  helpAliases: { fr: "Autres noms : {aliases}", en: "Other names: {aliases}" },
  helpParams: { fr: "Paramètres :", en: "Parameters:" },
  helpOptional: { fr: "facultatif", en: "optional" },
  helpRest: { fr: "peut contenir des espaces", en: "may contain spaces" },
  helpExamples: { fr: "Exemples :", en: "Examples:" },
  helpUnknown: {
    fr: "Je ne trouve pas de commande « {name} ».",
    en: "I can't find a command named \"{name}\".",
  },
  usage: { fr: "Usage : {usage}", en: "Usage: {usage}" },
  unknownCommand: {
    fr: "Je ne connais pas la commande {command}.",
    en: "I don't know the command {command}.",
  },
  didYouMean: { fr: "Vouliez-vous dire {suggestions} ?", en: "Did you mean {suggestions}?" },
  or: { fr: " ou ", en: " or " },
  and: { fr: " et ", en: " and " },
  seeHelp: {
    fr: "Tapez {help} pour voir la liste des commandes.",
    en: "Type {help} to see the list of commands.",
  },
  emptyCommand: {
    fr: "Il manque le nom de la commande après « {prefix} ».",
    en: "The command name is missing after \"{prefix}\".",
  },
  unterminatedQuote: {
    fr: "Un guillemet ouvert n'a pas été refermé.",
    en: "A quotation mark was opened but never closed.",
  },
  quotingTip: {
    fr: "Encadrez de guillemets un argument qui contient des espaces, par exemple {double} ou {french}. Pour écrire un guillemet tel quel, faites-le précéder d'une barre oblique inverse : {escaped}.",
    en: "Put an argument that contains spaces between quotation marks, for example {double} or {french}. To type a quotation mark as such, put a backslash before it: {escaped}.",
  },
  missingOne: { fr: "Il manque l'argument {names}.", en: "The argument {names} is missing." },
  missingMany: { fr: "Il manque les arguments {names}.", en: "The arguments {names} are missing." },
  noArgsExpected: {
    fr: "Cette commande ne prend aucun argument.",
    en: "This command takes no argument.",
  },
  tooMany: {
    fr: "Trop d'arguments : cette commande en attend {max} au plus, et vous en avez donné {given}.",
    en: "Too many arguments: this command takes at most {max}, and you gave {given}.",
  },
  internalError: {
    fr: "Désolé, une erreur inattendue m'a empêché de traiter votre demande. Vous pouvez réessayer dans un instant ; si le problème persiste, signalez-le à votre coordinateur en indiquant cette référence : {ref}.",
    en: "Sorry, an unexpected error prevented me from handling your request. You can try again in a moment; if the problem persists, please tell your coordinator and give this reference: {ref}.",
  },
} as const satisfies Record<string, Localized>;
