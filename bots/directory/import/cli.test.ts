import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../core/store/database.ts";
import { fixture } from "./test-helpers.ts";

const CLI = new URL("../../../scripts/directory-import.ts", import.meta.url).pathname;

function run(...args: string[]): { status: number | null; stdout: string; stderr: string; db: string } {
  const db = join(mkdtempSync(join(tmpdir(), "cpts-annuaire-cli-")), "bots.db");
  const result = spawnSync(process.execPath, [CLI, ...args, "--db", db], { encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, db };
}

describe("npm run directory:import", () => {
  it("imports, prints the French report and exits 0", () => {
    const result = run(fixture("zip"), fixture("mssante"), "--communes", "59178,59569");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("CPTS Grand Douai (2 communes)");
    expect(result.stdout).toContain("ligne 11 : nombre de champs incorrect");
    const db = openDatabase(result.db);
    expect(db.prepare("SELECT count(*) AS n FROM directory_people WHERE active = 1").get()).toEqual({ n: 2 });
    db.close();
  });

  it("exits 1 with a clear message when a file is refused", () => {
    const result = run(fixture("truncated"));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("a été refusé : il est tronqué");
  });

  it("exits 2 on a wrong argument", () => {
    expect(run().status).toBe(2);
    const outside = run(fixture("activite56"), "--communes", "75056");
    expect(outside.status).toBe(2);
    expect(outside.stderr).toContain("75056");
    expect(run(fixture("activite56"), "--inconnu").status).toBe(2);
  });
});
