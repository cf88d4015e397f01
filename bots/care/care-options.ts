import { z } from "zod";
import { filePath, MATRIX_USER_ID as MATRIX_USER, positiveDuration as duration } from "../core/options-schema.ts";

const DAY_MS = 86_400_000;

export const CareOptionsSchema = z
  .object({
    coordinators: z.array(MATRIX_USER).min(1).describe("who exports the téléexpertise record (!avis export)"),
    territoryFile: filePath("the CPTS territory as JSON (directory searches); default: the demo's CPTS Grand Douai").optional(),
    alertReminderAfter: duration("time without acknowledgement before an alert is reminded, and between reminders").prefault("10m"),
    alertMaxReminders: z.number().int().min(0).max(10).default(2).describe("reminders of an unacknowledged alert, at most"),
    referralReminderAfter: duration("time without an answer before the target of a referral is reminded (once)").prefault("24h"),
    expertiseWaveTimeout: duration("how long each wave of experts has before the request goes wider").prefault("30m"),
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
