import { describe, expect, it } from "vitest";
import { openExpertise, applyExpertiseEvent } from "./expertise.ts";
import { EXPORT_HEADERS, expertiseCsv, expertiseRows } from "./expertise-export.ts";
import { expertiseCode, userId } from "./ids.ts";

const MG = userId("@mg:cpts.test");
const CARDIO = userId("@cardio:cpts.test");
/** Wednesday 25 November 2026, 14:00 in Paris. */
const T0 = Date.UTC(2026, 10, 25, 13, 0);

describe("téléexpertise export", () => {
  const opened = openExpertise({ code: expertiseCode("AV-7K3F"), requester: MG, specialty: { key: "medecin|cardiologie", label: "cardiologie" } }, [[CARDIO]], T0, 60_000);
  const taken = applyExpertiseEvent(opened.state, { type: "take", at: T0 + 5 * 60_000, by: CARDIO }, 60_000).state;
  const answered = applyExpertiseEvent(taken, { type: "answer", at: T0 + 22 * 60_000, by: CARDIO }, 60_000).state;
  const people = (u: string) => (u === MG ? { name: "Julien Dupont", rpps: "10001234567" } : { name: "=Claire Cœur", rpps: "10007654321" });

  it("records who asked, who answered, when and in which specialty", () => {
    expect(expertiseRows([answered, opened.state], people)).toEqual([
      ["AV-7K3F", "cardiologie", "Julien Dupont", "10001234567", "=Claire Cœur", "10007654321", "2026-11-25 14:00", "2026-11-25 14:05", "2026-11-25 14:22", "22", "répondue"],
      ["AV-7K3F", "cardiologie", "Julien Dupont", "10001234567", "", "", "2026-11-25 14:00", "", "", "", "en attente"],
    ]);
    const csv = expertiseCsv([answered], people);
    expect(csv.startsWith(`\uFEFF${EXPORT_HEADERS.join(";")}\r\n`)).toBe(true);
    // A name that a spreadsheet would run as a formula is neutralised.
    expect(csv).toContain(";'=Claire Cœur;");
  });
});
