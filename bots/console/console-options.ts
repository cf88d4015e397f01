import { z } from "zod";

const origin = z
  .url()
  .refine((value) => {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && (url.pathname === "/" || url.pathname === "") && url.search === "" && url.hash === "";
  }, "a scheme and host only, like https://cpts.example.fr")
  .transform((value) => new URL(value).origin);

/** `bots.annuaire.options.console`: the coordinators' web console, served at /console/ on the annuaire's HTTP port. */
export const ConsoleOptionsSchema = z
  .object({
    enabled: z.boolean().default(true).describe("serve the console at /console/ on the bot's http port"),
    publicOrigin: origin
      .optional()
      .describe("scheme and host browsers reach the console at through the reverse proxy (https://cpts.example.fr): the SSO return address, and Secure cookies when https; default: the request's own host"),
    homeserverPublicUrl: z
      .url()
      .optional()
      .describe("the homeserver as browsers reach it (https://matrix.cpts.example.fr), for SSO sign-in; default: homeserverUrl"),
    sessionIdleMinutes: z.number().int().min(1).max(1440).default(30).describe("signed out after this long without activity"),
    sessionMaxHours: z.number().int().min(1).max(72).default(12).describe("signed out this long after signing in"),
    trustedProxies: z
      .array(z.union([z.ipv4(), z.ipv6()]))
      .default([])
      .describe("addresses of the reverse proxies in front of the console: only their X-Forwarded-For names the browser (sign-in throttling); e.g. the proxy container's address"),
    signInLimits: z
      .object({
        failuresPerAddress: z.number().int().min(1).max(1000).default(10).describe("wrong passwords allowed from one browser address within the window"),
        failuresPerAccount: z.number().int().min(1).max(1000).default(10).describe("wrong passwords allowed for one account, from any address, within the window"),
        windowMinutes: z.number().int().min(1).max(1440).default(15).describe("how long a wrong password counts"),
      })
      .strict()
      .prefault({})
      .describe("the console's own throttling of password sign-ins, per browser address and per account"),
    importMaxMegabytes: z.number().int().min(1).max(10_240).default(2048).describe("largest directory extract file accepted by the upload (the national zip is a few hundred MB)"),
  })
  .strict();

export type ConsoleOptions = z.infer<typeof ConsoleOptionsSchema>;
