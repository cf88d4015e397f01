// The `cpts:` section of the configuration: the CPTS itself, shared by every bot, the console
// and `npm run directory:import`. Its territory is a list of INSEE commune codes; names,
// postcodes and centres come from the published commune data (geo/communes-fr.json).
import { z } from "zod";
import { loadPublishedCommunes } from "./geo/communes.ts";
import { MATRIX_USER_ID } from "./options-schema.ts";

export interface Commune {
  readonly code: string;
  readonly name: string;
  readonly postcodes: readonly string[];
  readonly latitude: number;
  readonly longitude: number;
}

export interface Territory {
  readonly name: string;
  readonly communes: readonly Commune[];
}

const INSEE_CODE = z.string().regex(/^(\d{5}|2[AB]\d{3})$/, "an INSEE commune code (5 characters, e.g. 59178)");
const COORDINATES = z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).strict();

export const CptsSchema = z
  .object({
    name: z.string().min(1).describe("the CPTS's name, shown in the Space, the console, messages and reports"),
    coordinators: z
      .array(MATRIX_USER_ID)
      .min(1)
      .describe("the coordinators' Matrix accounts: they approve members, read indicators, export records, declare the on-call rota, sort unrouted mail"),
    territory: z
      .object({
        communes: z.array(INSEE_CODE).min(1).describe("the territory's communes, by INSEE code (code officiel géographique)"),
        centres: z
          .record(INSEE_CODE, COORDINATES)
          .default({})
          .describe("centre of a commune the published data has none for (mostly communes under 500 inhabitants), e.g. its town hall"),
      })
      .strict(),
    importGuard: z
      .object({
        maxDeactivatedPercent: z
          .number()
          .min(0)
          .max(100)
          .default(20)
          .describe("a directory import that would deactivate more than this share of the active professionals is refused unless confirmed (--force)"),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type CptsConfig = z.infer<typeof CptsSchema>;

export interface Cpts {
  readonly name: string;
  readonly coordinators: readonly string[];
  readonly territory: Territory;
  readonly importGuard: { readonly maxDeactivatedShare: number };
}

export interface KeyedProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * Resolves commune codes against the published data; every problem is returned with its key
 * path relative to `territory`.
 */
export function resolveTerritory(
  name: string,
  codes: readonly string[],
  centres: Readonly<Record<string, { latitude: number; longitude: number }>> = {},
): { territory: Territory } | { problems: KeyedProblem[] } {
  const problems: KeyedProblem[] = [];
  const communes: Commune[] = [];
  const seen = new Set<string>();
  const publishedCommunes = loadPublishedCommunes();
  codes.forEach((code, index) => {
    const path = ["communes", index];
    const published = publishedCommunes.get(code);
    if (!published) {
      problems.push({ path, message: `${code} n'est pas une commune connue (code officiel géographique)` });
      return;
    }
    if (seen.has(code)) {
      problems.push({ path, message: `${code} (${published.name}) est déjà dans la liste` });
      return;
    }
    seen.add(code);
    const centre = centres[code] ?? published.centre;
    if (!centre) {
      problems.push({
        path,
        message: `${code} (${published.name}) : centre inconnu des données publiées ; indiquez-le dans cpts.territory.centres."${code}" (latitude, longitude de la mairie)`,
      });
      return;
    }
    communes.push({ code, name: published.name, postcodes: published.postcodes, latitude: centre.latitude, longitude: centre.longitude });
  });
  for (const code of Object.keys(centres)) {
    if (!seen.has(code)) problems.push({ path: ["centres", code], message: `${code} n'est pas dans cpts.territory.communes` });
  }
  return problems.length > 0 ? { problems } : { territory: { name, communes } };
}

/** The `cpts` section with its territory resolved; problems carry their path relative to `cpts`. */
export function resolveCpts(config: CptsConfig): { cpts: Cpts } | { problems: KeyedProblem[] } {
  const resolved = resolveTerritory(config.name, config.territory.communes, config.territory.centres);
  if ("problems" in resolved) return { problems: resolved.problems.map((p) => ({ ...p, path: ["territory", ...p.path] })) };
  return {
    cpts: {
      name: config.name,
      coordinators: config.coordinators,
      territory: resolved.territory,
      importGuard: { maxDeactivatedShare: config.importGuard.maxDeactivatedPercent / 100 },
    },
  };
}
