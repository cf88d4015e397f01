import { describe, expect, it } from "vitest";
import { caseRoomIntro } from "./render.ts";
import type { SnpSummary } from "./store/request-meta.ts";

const summary = { professionWord: "MG", communeName: "Douai", careDelayHours: 24, modes: ["teleconsultation", "cabinet"], need: "renouvellement", ageBand: "70+", gp: "none", criteria: [] } as unknown as SnpSummary;
const people = { requester: "Régulation", requesterName: "Régulation", acceptor: "Dr Martin" };

describe("the SNP case room's first message", () => {
  it("tells how to start the video call when the request was accepted as a téléconsultation", () => {
    expect(caseRoomIntro("SNP-7K3F", summary, { ...people, mode: "teleconsultation" }, "fr").text).toContain("💻 Téléconsultation : lancez l'appel vidéo de ce salon");
    expect(caseRoomIntro("SNP-7K3F", summary, { ...people, mode: "cabinet" }, "fr").text).not.toContain("appel vidéo");
  });
});
