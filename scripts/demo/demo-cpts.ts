import { readFileSync } from "node:fs";
import { GRAND_DOUAI_FILE } from "../../bots/directory/territory.ts";

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

export const DEMO_CPTS_NAME = "CPTS Grand Douai";
export const DEMO_COORDINATOR = "coordination";

/** The demo configuration's `cpts` section: CPTS Grand Douai's communes, by INSEE code. */
export function demoCptsSection(serverName: string): Record<string, unknown> {
  const { communes } = JSON.parse(readFileSync(GRAND_DOUAI_FILE, "utf8")) as { communes: string[] };
  return { name: DEMO_CPTS_NAME, coordinators: [`@${DEMO_COORDINATOR}:${serverName}`], territory: { communes } };
}

/** The bots of the demo, by role (the bot id in the configuration), with their own settings. */
export const DEMO_BOTS: Readonly<Record<string, { localpart: string; displayName: string; settings?: (serverName: string) => Record<string, unknown> }>> = {
  accueil: { localpart: "accueil", displayName: "Accueil CPTS (bot)" },
  annuaire: {
    localpart: "annuaire",
    displayName: "Annuaire CPTS (bot)",
    settings: () => ({
      // Professionals talk to the directory bot to become verified members.
      invites: { acceptFrom: "local-users" },
    }),
  },
  snp: {
    localpart: "snp",
    displayName: "SNP — soins non programmés (bot)",
    // The coordinator also regulates in the demo; every demo professional is in the SNP pool.
    settings: (serverName) => ({
      options: { regulators: [`@${DEMO_COORDINATOR}:${serverName}`] },
    }),
  },
  equipes: { localpart: "equipes", displayName: "Équipes de soins (bot)" },
};
