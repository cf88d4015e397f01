import { z } from "zod";
import { DEFAULT_EFFECTS_CONCURRENCY } from "./effects-executor.ts";

/** The `effectsConcurrency` option of a module with an outbox: what it does is named by `subjects`. */
export function effectsConcurrencyOption(subjects: string) {
  return z
    .number()
    .int()
    .min(1)
    .max(64)
    .default(DEFAULT_EFFECTS_CONCURRENCY)
    .describe(`${subjects} whose effects (messages, edits, rooms) are carried out at the same time; one subject's effects always run in order`);
}
