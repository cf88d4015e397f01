import { z } from "zod";
import { effectsConcurrencyOption } from "../core/outbox/options.ts";
import { filePath, MATRIX_USER_ID as MATRIX_USER, positiveDuration as duration } from "../core/options-schema.ts";
import { DEFAULT_CASCADE, DEFAULT_LIFECYCLE, type CascadeConfig, type LifecycleConfig } from "./domain/index.ts";

export const SnpOptionsSchema = z
  .object({
    regulators: z.array(MATRIX_USER).min(1).describe("members of the « Régulation SNP » room: they open requests there and take escalations"),
    responseDeadline: duration("time the candidates have to answer, from dispatch").prefault("2h"),
    reminderAfter: duration("when the single reminder goes out, from dispatch").prefault("1h"),
    usualProfessionalFirst: duration("how long the patient's usual professional has alone").prefault("20m"),
    waveTimeout: duration("how long each distance wave has before the next one").prefault("20m"),
    waveRadiiKm: z.array(z.number().positive()).min(1).default([5, 10]).describe("upper bounds of the distance waves, increasing"),
    loadWindowDays: z.number().int().positive().default(30).describe("how far back a member's accepted requests count for fairness"),
    effectsConcurrency: effectsConcurrencyOption("requests"),
    directChatSweep: duration(
      "how often the bot opens its direct chat (with a welcome notice) with members of the SNP pool who have none yet, so that a request finds it open; also at start",
    )
      // A timer's longest delay is ~24.8 days; a day is plenty for a sweep.
      .refine((ms) => ms <= 86_400_000, "at most 24h")
      .prefault("5m"),
    gardeApiTokenFile: filePath("secret file with the bearer token of GET /garde/now (telephone system)").optional(),
    callsWitnessTokenFile: filePath(
      "secret file with the bearer token of the call authorisation service (bots/calls), which asks this bot who is in an SNP case room; unset: not served",
    ).optional(),
  })
  .strict()
  .superRefine((options, ctx) => {
    if (options.reminderAfter >= options.responseDeadline) {
      ctx.addIssue({ code: "custom", path: ["reminderAfter"], message: "must come before responseDeadline" });
    }
    if (options.waveRadiiKm.some((r, i) => i > 0 && r <= options.waveRadiiKm[i - 1]!)) {
      ctx.addIssue({ code: "custom", path: ["waveRadiiKm"], message: "must be increasing" });
    }
  });

export type SnpOptions = z.output<typeof SnpOptionsSchema>;

export function lifecycleOf(options: SnpOptions): LifecycleConfig {
  return { ...DEFAULT_LIFECYCLE, responseDeadlineMs: options.responseDeadline, reminderAfterMs: options.reminderAfter };
}

export function cascadeOf(options: SnpOptions): CascadeConfig {
  return { ...DEFAULT_CASCADE, usualFirstMs: options.usualProfessionalFirst, waveTimeoutMs: options.waveTimeout, radiiKm: options.waveRadiiKm };
}
