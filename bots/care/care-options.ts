import { z } from "zod";
import { effectsConcurrencyOption } from "../core/outbox/options.ts";
import { filePath, positiveDuration as duration } from "../core/options-schema.ts";

const DAY_MS = 86_400_000;

export const CareOptionsSchema = z
  .object({
    alertReminderAfter: duration("time without acknowledgement before an alert is reminded, and between reminders").prefault("10m"),
    alertMaxReminders: z.number().int().min(0).max(10).default(2).describe("reminders of an unacknowledged alert, at most"),
    referralReminderAfter: duration("time without an answer before the target of a referral is reminded (once)").prefault("24h"),
    expertiseWaveTimeout: duration("how long each wave of experts has before the request goes wider").prefault("30m"),
    effectsConcurrency: effectsConcurrencyOption("cases, alerts, referrals and téléexpertise requests"),
    callsWitnessTokenFile: filePath(
      "file holding the bearer token of the call authorisation service (bots/calls), which asks this bot who is in a case room; unset: not served",
    ).optional(),
    retentionDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(365)
      .describe("how long a closed case's messages are kept (m.room.retention; within the server's allowed bounds); it can be reopened until then"),
  })
  .strict();

export type CareOptions = z.output<typeof CareOptionsSchema>;

export const retentionMsOf = (options: CareOptions): number => options.retentionDays * DAY_MS;
