// For unit tests: the configuration's resolved `cpts` section of the demo CPTS Grand Douai.
import type { Cpts } from "../core/cpts.ts";
import { DEFAULT_GUARD } from "./import/guard.ts";
import { GRAND_DOUAI_FILE, loadTerritoryExample } from "./territory.ts";

export function testCpts(overrides: Partial<Cpts> = {}): Cpts {
  return {
    name: "CPTS Grand Douai",
    coordinators: ["@coordination:cpts.test"],
    territory: loadTerritoryExample(GRAND_DOUAI_FILE),
    importGuard: DEFAULT_GUARD,
    ...overrides,
  };
}
