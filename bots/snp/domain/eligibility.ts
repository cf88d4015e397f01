// The CPTS rule (reference process, Entr'Actes): SNP serves residents of the territory who
// have no GP available and are 70+, or under ALD, or covered by the CSS. Everyone else is
// redirected, with the reason, to where they will be seen.
import type { Localized } from "../../core/i18n/lang.ts";
import type { EligibilityFacts } from "./request.ts";

export type EligibilityCriterion = "70+" | "ald" | "css";
export type IneligibilityReason = "vital-emergency" | "not-resident" | "gp-available" | "no-priority-criterion";
/** own-gp: the patient's médecin traitant; garde: on-call service (116 117, maison médicale de garde); samu-15: emergency. */
export type Redirection = "own-gp" | "garde" | "samu-15";

export type EligibilityDecision =
  | { readonly eligible: true; readonly criteria: readonly EligibilityCriterion[] }
  | {
      readonly eligible: false;
      readonly reason: IneligibilityReason;
      readonly redirection: Redirection;
      readonly message: Localized;
    };

const INELIGIBLE: Readonly<Record<IneligibilityReason, { redirection: Redirection; message: Localized }>> = {
  "vital-emergency": {
    redirection: "samu-15",
    message: {
      fr: "Signes d'urgence vitale : ce n'est pas un soin non programmé. Appelez le 15 (ou le 112) sans attendre.",
      en: "Signs of a life-threatening emergency: this is not unscheduled care. Please call 15 (or 112) at once.",
    },
  },
  "not-resident": {
    redirection: "garde",
    message: {
      fr: "Le patient ne réside pas sur le territoire de la CPTS : orientez-le vers le service de garde (116 117).",
      en: "The patient does not live in the CPTS territory: please redirect to the on-call service (116 117).",
    },
  },
  "gp-available": {
    redirection: "own-gp",
    message: {
      fr: "Le médecin traitant du patient est disponible : il reste le premier recours, orientez le patient vers lui.",
      en: "The patient's GP is available and remains the first resort: please redirect the patient to them.",
    },
  },
  "no-priority-criterion": {
    redirection: "garde",
    message: {
      fr: "Le patient n'entre pas dans le public prioritaire du SNP (70 ans et plus, ALD ou CSS) : orientez-le vers le service de garde (116 117), ou le 15 en cas d'aggravation.",
      en: "The patient is outside the SNP priority public (70+, ALD or CSS): please redirect to the on-call service (116 117), or 15 if the condition worsens.",
    },
  },
};

/** Checks in order of danger first: an emergency is sent to the 15 whatever the other facts. */
export function decideEligibility(facts: EligibilityFacts): EligibilityDecision {
  if (facts.vitalEmergency) return ineligible("vital-emergency");
  if (!facts.resident) return ineligible("not-resident");
  if (facts.gp === "available") return ineligible("gp-available");
  const criteria: EligibilityCriterion[] = [];
  if (facts.age70Plus) criteria.push("70+");
  if (facts.ald) criteria.push("ald");
  if (facts.css) criteria.push("css");
  if (criteria.length === 0) return ineligible("no-priority-criterion");
  return { eligible: true, criteria };
}

function ineligible(reason: IneligibilityReason): EligibilityDecision {
  return { eligible: false, reason, ...INELIGIBLE[reason] };
}
