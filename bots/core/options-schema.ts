// Schema pieces that several bots' options share.
import { AsyncLocalStorage } from "node:async_hooks";
import { isAbsolute, resolve } from "node:path";
import ms from "ms";
import { z } from "zod";
import { isUserId } from "./matrix-ids.ts";

export const MATRIX_USER_ID = z.string().refine(isUserId, "a Matrix user ID like @name:server");

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

/** The folder relative file paths are resolved against, while parseWithFileBase runs. */
const fileBase = new AsyncLocalStorage<string>();

/**
 * A file named in the configuration (secret, certificate, territory…). A relative path is
 * relative to the configuration file's folder, whoever reads it and whatever the working
 * directory: the parsed value is absolute.
 */
export function filePath(what: string) {
  return z
    .string()
    .min(1)
    .describe(`${what} (a relative path is relative to the configuration file's folder)`)
    .transform((path) => (isAbsolute(path) ? path : resolve(fileBase.getStore() ?? process.cwd(), path)));
}

/** Parses configuration whose filePath() values are resolved against `baseDir` (the configuration file's folder). */
export function parseWithFileBase<S extends z.ZodType>(schema: S, raw: unknown, baseDir: string): z.ZodSafeParseResult<z.output<S>> {
  return fileBase.run(baseDir, () => schema.safeParse(raw));
}
