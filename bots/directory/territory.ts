import { readFileSync } from "node:fs";
import { ConfigError, describeIssues } from "../core/config.ts";
import { resolveTerritory, type Commune, type Territory } from "../core/cpts.ts";
import { foldName } from "../core/fold-name.ts";

export type { Commune, Territory } from "../core/cpts.ts";
export { foldName } from "../core/fold-name.ts";

/** The demo CPTS's commune codes (the `cpts` section `npm start` writes, and the tests' territory). */
export const GRAND_DOUAI_FILE = new URL("./territories/grand-douai.json", import.meta.url).pathname;

/** A territory example file ({ name, communes: INSEE codes }) resolved against the published commune data. */
export function loadTerritoryExample(file: string): Territory {
  const { name, communes } = JSON.parse(readFileSync(file, "utf8")) as { name: string; communes: string[] };
  const resolved = resolveTerritory(name, communes);
  if ("problems" in resolved) throw new ConfigError(`invalid territory ${file}:\n${describeIssues(resolved.problems)}`);
  return resolved.territory;
}


/** Whether a practice site belongs to the territory: by commune code, else by postcode (and name when given). */
export function locateInTerritory(territory: Territory, site: { communeCode: string; postcode: string; communeName: string }): Commune | undefined {
  if (site.communeCode) return territory.communes.find((c) => c.code === site.communeCode);
  const byPostcode = territory.communes.filter((c) => c.postcodes.includes(site.postcode));
  if (byPostcode.length <= 1 || !site.communeName) return byPostcode[0];
  const wanted = foldName(site.communeName);
  return byPostcode.find((c) => foldName(c.name) === wanted) ?? byPostcode[0];
}

/** Restricts a territory to the given INSEE codes (the import's --communes option). */
export function restrictTerritory(territory: Territory, codes: readonly string[]): Territory {
  const unknown = codes.filter((code) => !territory.communes.some((c) => c.code === code));
  if (unknown.length > 0) throw new Error(`communes not in the territory ${territory.name}: ${unknown.join(", ")}`);
  return { ...territory, communes: territory.communes.filter((c) => codes.includes(c.code)) };
}

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance between two communes' centres. */
export function distanceKm(a: Pick<Commune, "latitude" | "longitude">, b: Pick<Commune, "latitude" | "longitude">): number {
  const rad = (deg: number): number => (deg * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(h));
}
