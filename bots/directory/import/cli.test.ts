import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify as toYaml } from "yaml";
import { openDatabase } from "../../database.ts";
import { GRAND_DOUAI_FILE } from "../territory.ts";
import { fixture, rppsNumbers, writeActivite } from "./test-helpers.ts";

const CLI = new URL("../../../scripts/directory-import.ts", import.meta.url).pathname;

/** A bots configuration whose `cpts` section is the demo's CPTS Grand Douai. */
function configFile(importGuard?: { maxDeactivatedPercent: number }): string {
  const dir = mkdtempSync(join(tmpdir(), "cpts-annuaire-cli-"));
  const { communes } = JSON.parse(readFileSync(GRAND_DOUAI_FILE, "utf8")) as { communes: string[] };
  const config = {
    homeserverUrl: "http://127.0.0.1:8008",
    dataDir: "data",
    cpts: { name: "CPTS Grand Douai", coordinators: ["@coordination:cpts.test"], territory: { communes }, ...(importGuard ? { importGuard } : {}) },
    invites: { acceptFrom: "verified-members" },
    bots: {},
  };
  writeFileSync(join(dir, "bots.yaml"), toYaml(config));
  return join(dir, "bots.yaml");
}

const freshDbFile = (): string => join(mkdtempSync(join(tmpdir(), "cpts-annuaire-cli-db-")), "bots.db");

function run(args: readonly string[], db = freshDbFile(), config = configFile()): { status: number | null; stdout: string; stderr: string; db: string } {
  const result = spawnSync(process.execPath, [CLI, ...args, "--db", db, "--config", config], { encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, db };
}

function activePeople(file: string): string[] {
  const db = openDatabase(file);
  try {
    return (db.prepare("SELECT last_name FROM directory_people WHERE active = 1 ORDER BY last_name").all() as { last_name: string }[]).map((r) => r.last_name);
  } finally {
    db.close();
  }
}

describe("npm run directory:import", () => {
  it("imports, prints the French report and exits 0", () => {
    const result = run([fixture("zip"), fixture("mssante"), "--communes", "59178,59569"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("CPTS Grand Douai (2 communes)");
    expect(result.stdout).toContain("ligne 11 : nombre de champs incorrect");
    expect(activePeople(result.db)).toHaveLength(2);
  });

  it("exits 1 with a clear message when a file is refused", () => {
    const result = run([fixture("truncated")]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("a été refusé : il est tronqué");
  });

  it("exits 2 on a wrong argument or configuration", () => {
    expect(run([]).status).toBe(2);
    const outside = run([fixture("activite56"), "--communes", "75056"]);
    expect(outside.status).toBe(2);
    expect(outside.stderr).toContain("75056");
    expect(run([fixture("activite56"), "--inconnu"]).status).toBe(2);
    const missing = run([fixture("activite56")], freshDbFile(), "/nulle/part/bots.yaml");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("/nulle/part/bots.yaml");
    expect(missing.stderr).toContain("section cpts");
  });

  it("refuses an import that would deactivate most of the directory, changes nothing, and applies it with --force", () => {
    const db = freshDbFile();
    expect(run([fixture("activite56")], db).status).toBe(0);
    const before = activePeople(db);
    expect(before).toHaveLength(5);
    // A file of one commune only: four of the five professionals would be deactivated.
    const partial = writeActivite([{ rpps: rppsNumbers(1)[0]!, lastName: "NOUVEAU", postcode: "59119", communeCode: "59654", commune: "WAZIERS", countryCode: "99000" }]);
    const refused = run([partial], db);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toContain("Import refusé : l'annuaire n'a pas été modifié.");
    expect(refused.stderr).toContain("5 des 5 professionnels actifs (100 %) seraient désactivés, au-delà du seuil de 20 %");
    expect(refused.stderr).toContain("relancez la même commande avec --force");
    expect(activePeople(db)).toEqual(before);

    const forced = run([partial, "--force"], db);
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain("Import confirmé malgré l'alerte : 5 des 5 professionnels actifs");
    expect(activePeople(db)).toEqual(["NOUVEAU"]);
  });

  it("takes the share from cpts.importGuard.maxDeactivatedPercent", () => {
    const db = freshDbFile();
    const config = configFile({ maxDeactivatedPercent: 100 });
    expect(run([fixture("activite56")], db, config).status).toBe(0);
    const partial = writeActivite([{ rpps: rppsNumbers(1)[0]!, lastName: "NOUVEAU", postcode: "59119", communeCode: "59654", commune: "WAZIERS" }]);
    expect(run([partial], db, config).status).toBe(0);
  });

  it("refuses an import that keeps no row of a file whose rows carry the territory's commune codes", () => {
    const db = freshDbFile();
    // Every row in the territory but none usable (a broken identifier column, say).
    const unusable = writeActivite([
      { rpps: "123", lastName: "UN", postcode: "59500", communeCode: "59178", commune: "DOUAI" },
      { rpps: "456", lastName: "DEUX", postcode: "59450", communeCode: "59569", commune: "SIN LE NOBLE" },
      { rpps: rppsNumbers(1)[0]!, lastName: "AILLEURS", postcode: "75001", communeCode: "75101", commune: "PARIS" },
    ]);
    const refused = run([unusable], db);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("aucune ligne n'a été retenue alors que 2 ligne(s) sur 3 portent le code INSEE d'une commune du territoire");
    expect(refused.stderr).toContain("ligne 2 : numéro RPPS invalide");
    expect(activePeople(db)).toEqual([]);
    const db2 = openDatabase(db);
    expect(db2.prepare("SELECT count(*) AS n FROM directory_imports").get()).toEqual({ n: 0 });
    db2.close();
  });
});
