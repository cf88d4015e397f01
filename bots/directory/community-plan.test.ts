import { describe, expect, it } from "vitest";
import { communityRoomsFor, professionRoomFor, SPACE_KEY } from "./community-plan.ts";

describe("community rooms of a verified member", () => {
  it("are the Space, the general room and the profession's room, in that order", () => {
    expect(communityRoomsFor("CPTS Grand Douai", "infirmier").map((r) => r.key)).toEqual([SPACE_KEY, "general", "profession:ide"]);
  });

  it("sends GPs and other physicians to different rooms", () => {
    expect(professionRoomFor("medecin", "medecine generale").name).toBe("Médecins généralistes");
    expect(professionRoomFor("medecin", "cardiologie").name).toBe("Médecins spécialistes");
    expect(professionRoomFor("medecin").name).toBe("Médecins spécialistes");
  });

  it("gives the professions of the WhatsApp groups their own room and shares one for the others", () => {
    expect(professionRoomFor("pharmacien").key).toBe("profession:pharmaciens");
    expect(professionRoomFor("sage femme").key).toBe("profession:sages-femmes");
    expect(professionRoomFor("masseur kinesitherapeute").key).toBe("profession:kines");
    expect(professionRoomFor("orthophoniste").key).toBe("profession:autres");
    expect(professionRoomFor("pedicure podologue").key).toBe("profession:autres");
  });

  it("names rooms after professions only", () => {
    for (const room of communityRoomsFor("CPTS Grand Douai", "medecin", "medecine generale")) {
      expect(room.topic).not.toMatch(/patient [A-Z]/);
    }
  });
});
