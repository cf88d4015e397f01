// Schema pieces that several bots' options share.
import ms from "ms";
import { z } from "zod";

export const MATRIX_USER_ID = z.string().regex(/^@[^:]+:.+$/, "a Matrix user ID like @name:server");

/** "2h", "90m", "45s", "1d": a positive duration, in milliseconds. */
export function positiveDuration(what: string) {
  return z
    .string()
    .describe(what)
    .transform((text, ctx) => {
      const value = ms(text as ms.StringValue);
      if (typeof value !== "number" || !(value > 0)) {
        ctx.addIssue({ code: "custom", message: `a positive duration such as "2h", "90m" or "30s" (got "${text}")` });
        return z.NEVER;
      }
      return value;
    });
}
