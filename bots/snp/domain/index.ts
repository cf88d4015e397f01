// The pure domain of SNP dispatch: no Matrix, no network, no storage.
export { type RequestId, type UserId, isUserId, requestId, userId } from "./ids.ts";
export {
  AGE_BANDS,
  type AgeBand,
  type EligibilityFacts,
  type GpStatus,
  lookupCommune,
  lookupMode,
  lookupProfession,
  MAX_CARE_DELAY_HOURS,
  NEED_MAX_CHARS,
  NEED_MIN_CHARS,
  parseCareDelay,
  renderProblems,
  SNP_CARE_MODES,
  type SnpCareMode,
  type SnpDraft,
  type SnpProblem,
  type SnpProblemCode,
  type SnpRequestSpec,
  type SnpValidation,
  validateDraft,
} from "./request.ts";
export { parseSnpArgs, parseSnpLine } from "./one-line.ts";
export { SNP_REQUEST_MESSAGES } from "./messages.ts";
export { decideEligibility, type EligibilityCriterion, type EligibilityDecision, type IneligibilityReason, type Redirection } from "./eligibility.ts";
export { HOURS_INVALID, type HoursParse, isOpenAt, type OpeningRange, parsePracticeHours, type PracticeHours } from "./hours.ts";
export {
  type Candidate,
  type CascadeConfig,
  type CascadePlan,
  type CascadeRequest,
  DEFAULT_CASCADE,
  type ExclusionReason,
  exclusionReason,
  planCascade,
  type RankedCandidate,
  toPlannedWaves,
  type Wave,
} from "./candidates.ts";
export { type DirectChatToOpen, directChatsToOpen, mayBeAskedLater, type WelcomeStatus } from "./direct-chats.ts";
export * from "./lifecycle-model.ts";
export { apply, checkLifecycleConfig, type NewRequest, openRequest } from "./lifecycle.ts";
export {
  computeIndicators,
  CSV_HEADERS,
  type EscalationOutcome,
  type Grouping,
  indicatorsBy,
  indicatorsCsv,
  median,
  percentile,
  type SnpIndicators,
  type SnpRecord,
} from "./indicators.ts";
