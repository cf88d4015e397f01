// Which shared rooms a verified member belongs to: the CPTS Space, the general room and the
// room of their profession, the way the CPTS organised its WhatsApp groups. Room names are
// profession names only: never anything about a patient.

export interface CommunityRoomSpec {
  /** Stable key, stored with the room: the same key always means the same room. */
  readonly key: string;
  readonly name: string;
  readonly topic: string;
}

export const SPACE_KEY = "space";

export function spaceSpec(cptsName: string): CommunityRoomSpec {
  return { key: SPACE_KEY, name: cptsName, topic: `Espace de la ${cptsName} : salons de la communauté, réservés aux membres vérifiés.` };
}

/** Where the coordinators approve membership requests; outside the Space. */
export const COORDINATION_ROOM: CommunityRoomSpec = {
  key: "coordination",
  name: "Coordination — inscriptions",
  topic: "Validation des demandes d'inscription des professionnels (réagir ✅ ou ❌). Réservé à la coordination.",
};

export const GENERAL_ROOM: CommunityRoomSpec = {
  key: "general",
  name: "Général",
  topic: "Échanges entre tous les membres de la CPTS. Pas de données patient ici : utilisez un salon patient chiffré dédié.",
};

interface ProfessionRoomRule {
  readonly profession: string;
  readonly specialty?: string;
  readonly room: CommunityRoomSpec;
}

const professionRoom = (key: string, name: string): CommunityRoomSpec => ({
  key: `profession:${key}`,
  name,
  topic: `Salon des ${name.toLowerCase()} de la CPTS. Pas de données patient ici.`,
});

const OTHER_PROFESSIONS = professionRoom("autres", "Autres professions de santé");

/** First matching rule wins: the GP rule comes before the one for other physicians. */
const RULES: readonly ProfessionRoomRule[] = [
  { profession: "medecin", specialty: "medecine generale", room: professionRoom("mg", "Médecins généralistes") },
  { profession: "medecin", room: professionRoom("specialistes", "Médecins spécialistes") },
  { profession: "infirmier", room: professionRoom("ide", "Infirmiers (IDE)") },
  { profession: "pharmacien", room: professionRoom("pharmaciens", "Pharmaciens") },
  { profession: "sage femme", room: professionRoom("sages-femmes", "Sages-femmes") },
  { profession: "masseur kinesitherapeute", room: professionRoom("kines", "Kinés") },
  { profession: "chirurgien dentiste", room: professionRoom("dentistes", "Chirurgiens-dentistes") },
];

/**
 * The profession room for a member, from the folded labels of the national directory
 * ("Libellé profession", "Libellé savoir-faire"); professions without a room of their own
 * share one, so nobody is left out.
 */
export function professionRoomFor(profession: string, specialty?: string): CommunityRoomSpec {
  const rule = RULES.find((r) => r.profession === profession && (r.specialty === undefined || r.specialty === specialty));
  return rule?.room ?? OTHER_PROFESSIONS;
}

/** Every community room a verified member of this profession is invited to, Space first. */
export function communityRoomsFor(cptsName: string, profession: string, specialty?: string): CommunityRoomSpec[] {
  return [spaceSpec(cptsName), GENERAL_ROOM, professionRoomFor(profession, specialty)];
}
