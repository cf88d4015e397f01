import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { installDiskIndexedDb, reusePreparedStatements } from "./indexeddb.ts";

const dir = mkdtempSync(join(tmpdir(), "cpts-idb-"));

function openStore(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore("keys");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function put(db: IDBDatabase, key: string, value: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction("keys", "readwrite");
    tx.objectStore("keys").put(value, key);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

function get(db: IDBDatabase, key: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = db.transaction("keys", "readonly").objectStore("keys").get(key);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

describe("installDiskIndexedDb", () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps each IndexedDB database in a SQLite file with a write-ahead log (one fsync per commit, not several)", async () => {
    installDiskIndexedDb(dir);
    const db = await openStore("crypto-test");
    await put(db, "session", { index: 7 });
    expect(await get(db, "session")).toEqual({ index: 7 });
    db.close();
    const files = readdirSync(dir).filter((f) => !f.endsWith("-wal") && !f.endsWith("-shm"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const sqlite = new Database(join(dir, file), { readonly: true });
      try {
        expect([file, sqlite.pragma("journal_mode", { simple: true })]).toEqual([file, "wal"]);
      } finally {
        sqlite.close();
      }
    }
  });

  it("refuses a second location in the same process", () => {
    expect(() => installDiskIndexedDb(join(dir, "other"))).toThrow("refusing a second location");
  });
});

describe("reusePreparedStatements", () => {
  it("prepares a statement once and runs it again, with its own arguments each time", () => {
    const sqlite = new Database(":memory:");
    reusePreparedStatements(sqlite);
    sqlite.exec("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)");
    const insert = "INSERT INTO kv (k, v) VALUES (?, ?)";
    expect(sqlite.prepare(insert)).toBe(sqlite.prepare(insert));
    sqlite.prepare(insert).run("a", "1");
    sqlite.prepare(insert).run("b", "2");
    expect(sqlite.prepare("SELECT k, v FROM kv ORDER BY k").all()).toEqual([{ k: "a", v: "1" }, { k: "b", v: "2" }]);
    sqlite.close();
  });
});
