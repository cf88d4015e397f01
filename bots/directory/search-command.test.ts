import { describe, expect, it } from "vitest";
import type { BaseContext } from "../core/commands/command.ts";
import { openDatabase } from "../database.ts";
import { VerifiedMembers } from "../core/store/verified-members.ts";
import { Membership } from "./membership.ts";
import { DirectorySearchCommand } from "./search-command.ts";
import { insertPopulation, POPULATION } from "./search/test-population.ts";
import { GRAND_DOUAI_FILE, loadTerritoryExample } from "./territory.ts";

const territory = loadTerritoryExample(GRAND_DOUAI_FILE);
const clock = { now: () => 0 };

function setup() {
  const db = openDatabase(":memory:");
  insertPopulation(db, POPULATION, new Map(territory.communes.map((c) => [c.code, c.name])));
  new VerifiedMembers(db, clock).markVerified("@coord:cpts.test", "seed");
  const command = new DirectorySearchCommand(db, clock, territory, new Membership(db, clock)).command();
  const run = (sender: string, recherche?: string) =>
    Promise.resolve().then(() => command.execute({ lang: "fr", sender, roomId: "!r:cpts.test", correlationId: "c" } satisfies BaseContext, { recherche }));
  return { run };
}

describe("!annuaire", () => {
  it("pages through a long list with « suite », and says when there is nothing to continue", async () => {
    const { run } = setup();
    expect((await run("@coord:cpts.test", "suite")).text).toContain("pas de recherche à poursuivre");
    const first = (await run("@coord:cpts.test", "IDE")).text;
    const second = (await run("@coord:cpts.test", "suite")).text;
    expect(first).toMatch(/1\s*\/\s*\d/);
    expect(second).toMatch(/2\s*\/\s*\d/);
    expect(second).not.toEqual(first);
  });

  it("is for verified members only", async () => {
    const { run } = setup();
    await expect(run("@stranger:cpts.test", "IDE")).rejects.toThrow("search by a non-member");
  });
});
