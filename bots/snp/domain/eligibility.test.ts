import { describe, expect, it } from "vitest";
import { decideEligibility } from "./eligibility.ts";
import type { EligibilityFacts } from "./request.ts";

const base: EligibilityFacts = { resident: true, gp: "none", age70Plus: false, ald: false, css: false, vitalEmergency: false };

describe("the CPTS eligibility rule", () => {
  it("accepts a resident without a GP who is 70+, under ALD or covered by the CSS, and says why", () => {
    expect(decideEligibility({ ...base, age70Plus: true })).toEqual({ eligible: true, criteria: ["70+"] });
    expect(decideEligibility({ ...base, ald: true })).toEqual({ eligible: true, criteria: ["ald"] });
    expect(decideEligibility({ ...base, gp: "unavailable", css: true, ald: true })).toEqual({ eligible: true, criteria: ["ald", "css"] });
  });

  it("sends a patient whose GP is available back to that GP", () => {
    const decision = decideEligibility({ ...base, gp: "available", age70Plus: true });
    expect(decision).toMatchObject({ eligible: false, reason: "gp-available", redirection: "own-gp" });
  });

  it("redirects a non-resident and a patient outside the priority public to the on-call service", () => {
    expect(decideEligibility({ ...base, resident: false, ald: true })).toMatchObject({ eligible: false, reason: "not-resident", redirection: "garde" });
    const decision = decideEligibility(base);
    expect(decision).toMatchObject({ eligible: false, reason: "no-priority-criterion", redirection: "garde" });
    if (!decision.eligible) expect(decision.message.fr).toContain("116 117");
  });

  it("sends a vital emergency to the 15 whatever else is true", () => {
    expect(decideEligibility({ ...base, age70Plus: true, vitalEmergency: true })).toMatchObject({ reason: "vital-emergency", redirection: "samu-15" });
  });
});
