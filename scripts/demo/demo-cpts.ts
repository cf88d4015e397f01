/** The seeded demo CPTS: invented people, one of several professions each, and a coordinator. */
export interface DemoPerson {
  readonly localpart: string;
  readonly displayName: string;
  readonly role: "coordinator" | "professional";
  readonly profession: string;
}

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { localpart: "coordination", displayName: "Camille Martin (coordinatrice)", role: "coordinator", profession: "coordinatrice CPTS" },
  { localpart: "dr.dupont", displayName: "Dr Julien Dupont", role: "professional", profession: "médecin généraliste" },
  { localpart: "ide.bernard", displayName: "Sophie Bernard", role: "professional", profession: "infirmière (IDE)" },
  { localpart: "pharma.petit", displayName: "Karim Petit", role: "professional", profession: "pharmacien" },
  { localpart: "sf.leroy", displayName: "Claire Leroy", role: "professional", profession: "sage-femme" },
  { localpart: "kine.moreau", displayName: "Thomas Moreau", role: "professional", profession: "masseur-kinésithérapeute" },
];

/** The bots of the demo, by role (the bot id in the configuration). */
export const DEMO_BOTS: Readonly<Record<string, { localpart: string; displayName: string }>> = {
  accueil: { localpart: "accueil", displayName: "Accueil CPTS (bot)" },
};
