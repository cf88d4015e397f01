import { describe, expect, it } from "vitest";
import { forbiddenImports, importEdges, moduleCycles, moduleOf, tableReadsAcrossModules, type ImportEdge } from "./module-graph.ts";

const edge = (from: string, to: string): ImportEdge => ({ from, to, fromModule: moduleOf(from)!, toModule: moduleOf(to)! });

describe("the modules' import graph", () => {
  const edges = importEdges();

  it("has no cycle between modules", () => {
    expect(moduleCycles(edges)).toEqual([]);
  });

  it("has no module reading another module's tables with SQL", () => {
    expect(tableReadsAcrossModules()).toEqual([]);
  });

  it("follows the dependency rules: core imports no module, nothing imports the console or test/, modules import only what they may", () => {
    expect(forbiddenImports(edges)).toEqual([]);
  });
});

describe("the graph checks themselves", () => {
  it("find a cycle through several modules, spelled once", () => {
    const edges = [edge("bots/directory/a.ts", "bots/snp/b.ts"), edge("bots/snp/b.ts", "bots/care/c.ts"), edge("bots/care/c.ts", "bots/directory/d.ts")];
    expect(moduleCycles(edges)).toEqual(["care → directory → snp → care"]);
  });

  it("name a forbidden direction with the files that make it", () => {
    expect(forbiddenImports([edge("bots/core/x.ts", "bots/directory/y.ts"), edge("bots/snp/a.ts", "bots/directory/b.ts")])).toEqual([
      "core → directory (bots/core/x.ts imports bots/directory/y.ts)",
    ]);
    expect(forbiddenImports([edge("bots/directory/a.ts", "bots/console/b.ts"), edge("bridges/mssante/m.ts", "test/helpers/h.ts")])).toHaveLength(2);
  });

  it("place files in their module, the composition root apart", () => {
    expect(["bots/console/x.ts", "bridges/mssante/routing/lookups.ts", "bots/registry.ts", "bots/core/store/database.ts", "scripts/start.ts"].map(moduleOf)).toEqual([
      "console",
      "mssante",
      "app",
      "core",
      undefined,
    ]);
  });
});
