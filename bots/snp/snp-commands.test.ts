import { describe, expect, it } from "vitest";
import { openDatabase } from "../core/store/database.ts";
import { GRAND_DOUAI_FILE, loadTerritoryExample } from "../directory/territory.ts";
import { SNP_SCHEMA } from "./migrations.ts";
import { snpCommands, type SnpCommandDeps } from "./snp-commands.ts";
import { Availability } from "./store/availability.ts";

describe("!dispo", () => {
  function dispo() {
    const availability = new Availability(openDatabase(":memory:", [SNP_SCHEMA]), { now: () => 0 });
    const available: string[] = [];
    const deps: SnpCommandDeps = {
      // `!dispo` uses neither the request service nor the intake.
      service: {} as SnpCommandDeps["service"],
      intake: {} as SnpCommandDeps["intake"],
      territory: loadTerritoryExample(GRAND_DOUAI_FILE),
      availability,
      directory: { profileOf: () => ({ skills: [], languages: [], equipment: [], careModes: [], newPatients: null, snp: true, hours: null }) },
      now: () => 0,
      onAvailable: (user) => available.push(user),
    };
    const command = snpCommands(deps).find((c) => c.name === "dispo")!;
    const say = (word: string) => command.execute({ lang: "fr", sender: "@ide:cpts.test", roomId: "!dm:cpts.test", correlationId: "c1" }, { etat: word });
    return { say, available, availability };
  }

  it("has the direct chat opened ahead of requests when someone becomes available again, not when they stop", async () => {
    const { say, available, availability } = dispo();
    expect(await say("off")).toMatchObject({ text: expect.stringContaining("plus de demandes SNP") });
    expect(available).toEqual([]);
    expect(availability.isAvailable("@ide:cpts.test")).toBe(false);
    await say("on");
    expect(available).toEqual(["@ide:cpts.test"]);
    expect(availability.isAvailable("@ide:cpts.test")).toBe(true);
  });
});
