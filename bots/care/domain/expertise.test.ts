import { describe, expect, it } from "vitest";
import { readExpertiseArgs } from "./command-args.ts";
import { applyExpertiseEvent, notificationReason, openExpertise, planExpertiseWaves, type ExpertCandidate } from "./expertise.ts";
import { expertiseCode, userId } from "./ids.ts";

const MG = userId("@mg:cpts.test");
const CARDIO_DECLARED = userId("@cardio1:cpts.test");
const CARDIO = userId("@cardio2:cpts.test");
const GP_ECG = userId("@mg-ecg:cpts.test");
const DERMATO = userId("@dermato:cpts.test");
const TIMEOUT = 1_800_000;
const input = { code: expertiseCode("AV-7K3F"), requester: MG, specialty: { key: "medecin|cardiologie", label: "cardiologie" } };

const candidates: ExpertCandidate[] = [
  { userId: MG, profession: "medecin", specialties: ["medecine generale"], declaredSkills: ["cardiologie"] },
  { userId: CARDIO_DECLARED, profession: "medecin", specialties: ["cardiologie et maladies vasculaires"], declaredSkills: ["teleexpertise cardiologie"] },
  { userId: CARDIO, profession: "medecin", specialties: ["pathologie cardio vasculaire"], declaredSkills: [] },
  { userId: GP_ECG, profession: "medecin", specialties: ["medecine generale"], declaredSkills: ["lecture ecg", "cardio"] },
  { userId: DERMATO, profession: "medecin", specialties: ["dermatologie et venereologie"], declaredSkills: [] },
];

describe("expertise routing", () => {
  it("asks those who declared the expertise first, then the specialty's wider circle, never the requester", () => {
    const args = readExpertiseArgs(["cardiologue", "ECG", "ci-joint"]);
    if (!args.ok) throw new Error("unexpected");
    expect(args.value.question).toBe("ECG ci-joint");
    expect(args.value.specialty).toEqual({ key: "medecin|cardiologie", label: "cardiologie" });
    expect(planExpertiseWaves(candidates, args.value.declaredWords, args.value.query, MG)).toEqual([[CARDIO_DECLARED, GP_ECG], [CARDIO]]);
  });

  it("shows the specialty with its accents, however it was typed", () => {
    const label = (word: string): string | undefined => {
      const read = readExpertiseArgs([word, "question"]);
      return read.ok ? read.value.specialty.label : undefined;
    };
    expect(label("MG")).toBe("médecine générale");
    expect(label("gériatre")).toBe("gériatrie");
    expect(label("gyneco")).toBe("gynécologie médicale");
    expect(label("kiné")).toBe("masseur-kinésithérapeute");
    expect(label("Plaies chroniques")).toBe("plaies chroniques");
    expect(label("Rééducation")).toBe("rééducation");
  });

  it("a free expertise word reaches only those who declared it", () => {
    const args = readExpertiseArgs(["plaies", "photo", "ci-jointe"]);
    if (!args.ok) throw new Error("unexpected");
    const nurses: ExpertCandidate[] = [{ userId: DERMATO, profession: "infirmier", specialties: [], declaredSkills: ["plaies et cicatrisation"] }];
    expect(planExpertiseWaves(nurses, args.value.declaredWords, args.value.query, MG)).toEqual([[DERMATO], []]);
    expect(readExpertiseArgs(["cardiologue"])).toEqual({ ok: false, problem: "question-missing" });
    expect(readExpertiseArgs([])).toEqual({ ok: false, problem: "specialty-missing" });
  });
});

describe("expertise lifecycle", () => {
  const opened = openExpertise(input, [[CARDIO_DECLARED, MG], [CARDIO]], 1_000, TIMEOUT);

  it("opens its room and asks the first wave, then the next, then expires", () => {
    expect(opened.state).toMatchObject({ status: "open", currentWave: 0, notified: [CARDIO_DECLARED] });
    expect(opened.effects).toEqual([{ kind: "open-room" }, { kind: "notify-experts", to: [CARDIO_DECLARED] }, { kind: "schedule-wave-timeout", at: 1_000 + TIMEOUT, wave: 0 }]);
    const second = applyExpertiseEvent(opened.state, { type: "wave-timeout", at: 1_000 + TIMEOUT, wave: 0 }, TIMEOUT);
    expect(second.effects).toEqual([{ kind: "notify-experts", to: [CARDIO] }, { kind: "schedule-wave-timeout", at: 1_000 + 2 * TIMEOUT, wave: 1 }]);
    expect(applyExpertiseEvent(second.state, { type: "wave-timeout", at: 1_000 + TIMEOUT, wave: 0 }, TIMEOUT).effects).toEqual([]);
    const expired = applyExpertiseEvent(second.state, { type: "wave-timeout", at: 1_000 + 2 * TIMEOUT, wave: 1 }, TIMEOUT);
    expect(expired.state.status).toBe("expired");
    expect(expired.effects).toEqual([{ kind: "mark-notifications", to: [CARDIO_DECLARED, CARDIO], why: "expired" }, { kind: "tell-requester", news: "expired" }]);
  });

  it("tells each expert why they are asked, the first wave being empty or not", () => {
    const noDeclared = openExpertise(input, [[], [CARDIO]], 1_000, TIMEOUT);
    expect(noDeclared.effects).toEqual([{ kind: "open-room" }, { kind: "notify-experts", to: [CARDIO] }, { kind: "schedule-wave-timeout", at: 1_000 + TIMEOUT, wave: 1 }]);
    expect(notificationReason(noDeclared.state, CARDIO)).toBe("specialty");
    expect(applyExpertiseEvent(noDeclared.state, { type: "wave-timeout", at: 1_000 + TIMEOUT, wave: 1 }, TIMEOUT).state.status).toBe("expired");
    const second = applyExpertiseEvent(opened.state, { type: "wave-timeout", at: 1_000 + TIMEOUT, wave: 0 }, TIMEOUT).state;
    expect(notificationReason(second, CARDIO_DECLARED)).toBe("declared");
    expect(notificationReason(second, CARDIO)).toBe("specialty");
  });

  it("with nobody to ask, ends at once", () => {
    const none = openExpertise(input, [[MG], []], 1_000, TIMEOUT);
    expect(none.state.status).toBe("expired");
    expect(none.effects).toEqual([]);
  });

  it("the first expert who takes it wins; the others are told; only they answer, which closes it", () => {
    const both = applyExpertiseEvent(opened.state, { type: "wave-timeout", at: 2_000, wave: 0 }, TIMEOUT).state;
    const taken = applyExpertiseEvent(both, { type: "take", at: 3_000, by: CARDIO }, TIMEOUT);
    expect(taken.state).toMatchObject({ status: "taken", takenBy: CARDIO, takenAt: 3_000 });
    expect(taken.effects).toEqual([{ kind: "bring-expert", expert: CARDIO }, { kind: "mark-notifications", to: [CARDIO_DECLARED], why: "taken" }, { kind: "tell-requester", news: "taken" }]);
    expect(applyExpertiseEvent(taken.state, { type: "take", at: 3_001, by: CARDIO_DECLARED }, TIMEOUT).refusal).toBe("already-taken");
    expect(applyExpertiseEvent(taken.state, { type: "take", at: 3_001, by: CARDIO }, TIMEOUT)).toEqual({ state: taken.state, effects: [] });
    expect(applyExpertiseEvent(both, { type: "take", at: 3_000, by: DERMATO }, TIMEOUT).refusal).toBe("not-asked");
    expect(applyExpertiseEvent(taken.state, { type: "answer", at: 4_000, by: CARDIO_DECLARED }, TIMEOUT).refusal).toBe("not-expert");
    const answered = applyExpertiseEvent(taken.state, { type: "answer", at: 4_000, by: CARDIO }, TIMEOUT);
    expect(answered.state).toMatchObject({ status: "answered", answeredAt: 4_000 });
    expect(applyExpertiseEvent(answered.state, { type: "answer", at: 5_000, by: CARDIO }, TIMEOUT).refusal).toBe("finished");
    expect(applyExpertiseEvent(answered.state, { type: "wave-timeout", at: 5_000, wave: 1 }, TIMEOUT).effects).toEqual([]);
  });

  it("is cancelled by its requester only", () => {
    expect(applyExpertiseEvent(opened.state, { type: "cancel", at: 2_000, by: CARDIO }, TIMEOUT).refusal).toBe("not-requester");
    const cancelled = applyExpertiseEvent(opened.state, { type: "cancel", at: 2_000, by: MG }, TIMEOUT);
    expect(cancelled.effects).toEqual([{ kind: "mark-notifications", to: [CARDIO_DECLARED], why: "cancelled" }, { kind: "close-room" }]);
  });
});
