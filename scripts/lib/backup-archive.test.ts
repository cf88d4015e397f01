import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { create as createTar, extract } from "tar";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BackupError, createBackup } from "./backup-archive.ts";
import { MANIFEST_NAME, parseManifest } from "./backup-manifest.ts";
import { decide } from "./backup-plan.ts";
import { restoreBackup } from "./backup-restore.ts";

describe("what a backup keeps, and when", () => {
  it.each([
    ["bots/bots.db", true, { action: "snapshot", phase: 1 }],
    ["bots/accueil/crypto/D_matrix-js-sdk^13abot-sync.sqlite", true, { action: "snapshot", phase: 1 }],
    ["synapse/homeserver.db", true, { action: "snapshot", phase: 2 }],
    ["bots/accueil/crypto/D_matrix-js-sdk^13a^13amatrix-sdk-crypto.sqlite", true, { action: "snapshot", phase: 3 }],
    ["bots/accueil/crypto/__sysdb__.sqlite", true, { action: "snapshot", phase: 3 }],
    ["bots/accueil/crypto/session.json", false, { action: "copy", phase: 4 }],
    ["synapse/media_store/local_content/ab/cd/efgh", false, { action: "copy", phase: 4 }],
    ["secrets/bot-accueil.store-secret", false, { action: "copy", phase: 4 }],
  ] as const)("%s", (path, isSqlite, expected) => {
    expect(decide(path, isSqlite)).toEqual(expected);
  });

  it.each(["start.pid", "synapse/synapse.pid", "bots/bot-accueil.pid", "synapse/synapse.log", "bots/bots.db-wal", "bots/bots.db-shm", "x.sqlite-journal",
    "synapse/homeserver.yaml", "synapse/log.config.yaml", "bots/accueil/crypto.staging-AbC123/session.json"])("skips %s", (path) => {
    expect(decide(path, false).action).toBe("skip");
  });
});

describe("backup and restore of a data folder", () => {
  let work: string;
  let data: string;
  let writer: Database.Database | undefined;

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), "cpts-backup-test-"));
    data = join(work, "data");
    const file = (path: string, content: string | Buffer, mode = 0o644): void => {
      mkdirSync(dirname(join(data, path)), { recursive: true });
      writeFileSync(join(data, path), content, { mode });
    };
    mkdirSync(join(data, "bots"), { recursive: true });
    // A bot still running: WAL mode, its last rows not yet checkpointed into the main file.
    writer = new Database(join(data, "bots", "bots.db"));
    writer.pragma("journal_mode = WAL");
    writer.exec("CREATE TABLE handled (id TEXT PRIMARY KEY)");
    writer.prepare("INSERT INTO handled VALUES (?)").run("$event-1");
    mkdirSync(join(data, "synapse"));
    const synapse = new Database(join(data, "synapse", "homeserver.db"));
    synapse.exec("CREATE TABLE events (id TEXT); INSERT INTO events VALUES ('$old')");
    synapse.close();
    file("synapse/media_store/local_content/ab/cd/efgh", Buffer.from([0, 1, 2, 255]));
    file("secrets/bot-accueil.store-secret", "store-secret", 0o600);
    file("start.pid", "123\n");
    file("synapse/synapse.log", "log line\n");
    file("synapse/homeserver.yaml", "server_name: x\n", 0o600);
    file("bots/accueil/crypto.staging-abc/session.json", "{}");
  });

  afterEach(() => {
    writer?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const backUp = (archive = join(work, "out", "b.tar.gz")): ReturnType<typeof createBackup> => createBackup({ dataDir: data, archive, synapseVersion: "1.163.2" });

  it("restores databases (with what was still in the WAL), files and modes into a fresh folder", async () => {
    const result = await backUp();
    expect(result.files).toBe(4);
    expect(statSync(result.archive).mode & 0o777).toBe(0o600);

    const fresh = join(work, "fresh");
    const restored = await restoreBackup({ archive: result.archive, dataDir: fresh });
    expect(restored.manifest.files.map((f) => f.path)).toEqual([
      "bots/bots.db",
      "secrets/bot-accueil.store-secret",
      "synapse/homeserver.db",
      "synapse/media_store/local_content/ab/cd/efgh",
    ]);
    const bots = new Database(join(fresh, "bots", "bots.db"), { readonly: true });
    expect(bots.prepare("SELECT id FROM handled").all()).toEqual([{ id: "$event-1" }]);
    bots.close();
    expect(readFileSync(join(fresh, "synapse/media_store/local_content/ab/cd/efgh"))).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(statSync(join(fresh, "secrets/bot-accueil.store-secret")).mode & 0o777).toBe(0o600);
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
    for (const absent of ["start.pid", "synapse/synapse.log", "synapse/homeserver.yaml", "bots/accueil/crypto.staging-abc"]) {
      expect(existsSync(join(fresh, absent)), absent).toBe(false);
    }
  });

  it("never overwrites: a non-empty destination, an existing archive, an archive inside the data", async () => {
    const { archive } = await backUp();
    await expect(restoreBackup({ archive, dataDir: data })).rejects.toThrow(/is not empty: a restore never overwrites/);
    await expect(backUp(archive)).rejects.toThrow(/already exists/);
    await expect(backUp(join(data, "b.tar.gz"))).rejects.toThrow(/inside the data folder/);
    const empty = join(work, "empty");
    mkdirSync(empty);
    await restoreBackup({ archive, dataDir: empty });
    expect(existsSync(join(empty, "bots", "bots.db"))).toBe(true);
  });

  async function repack(archive: string, change: (dir: string) => void): Promise<string> {
    const dir = join(work, "unpacked");
    mkdirSync(dir);
    await extract({ file: archive, cwd: dir });
    change(dir);
    const altered = join(work, "altered.tar.gz");
    await createTar({ gzip: true, file: altered, cwd: dir, portable: true }, ["."]);
    return altered;
  }

  it.each([
    ["a changed byte", (dir: string) => writeFileSync(join(dir, "data/secrets/bot-accueil.store-secret"), "other-secret"), /does not match its SHA-256/],
    ["a missing file", (dir: string) => rmSync(join(dir, "data/synapse/homeserver.db")), /synapse\/homeserver.db is missing/],
    ["a file not in the manifest", (dir: string) => writeFileSync(join(dir, "data/extra"), "x"), /extra is not in the manifest/],
    ["a symbolic link", (dir: string) => symlinkSync("/etc/passwd", join(dir, "data/link")), /entries a backup never has: .*link/],
    ["a bad manifest", (dir: string) => writeFileSync(join(dir, MANIFEST_NAME), JSON.stringify({ format: "other" })), /manifest.json: format/],
  ])("refuses an archive with %s, and leaves no folder behind", async (_what, change, message) => {
    const { archive } = await backUp();
    const altered = await repack(archive, change);
    const fresh = join(work, "fresh");
    const error = await restoreBackup({ archive: altered, dataDir: fresh }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupError);
    expect((error as Error).message).toMatch(message);
    expect(existsSync(fresh)).toBe(false);
  });

  it("refuses a file that is not a backup archive", async () => {
    const notTar = join(work, "notes.tar.gz");
    writeFileSync(notTar, "not a tar");
    await expect(restoreBackup({ archive: notTar, dataDir: join(work, "fresh") })).rejects.toThrow(/not a readable backup archive/);
  });

  it("records a manifest the restore can check", async () => {
    const { archive } = await backUp();
    const dir = join(work, "m");
    mkdirSync(dir);
    await extract({ file: archive, cwd: dir });
    const manifest = parseManifest(readFileSync(join(dir, MANIFEST_NAME), "utf8"));
    expect(manifest.synapseVersion).toBe("1.163.2");
    expect(manifest.files.find((f) => f.path === "bots/bots.db")?.kind).toBe("sqlite");
  });
});
