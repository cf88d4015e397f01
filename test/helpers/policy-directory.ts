// The test server's stand-in for the annuaire's policy endpoint: the real route
// (bots/directory/policy-http.ts) answering from every database the tests registered —
// each test bot's own database (prepareBot registers it) and one shared database for
// members a test marks verified without a bot (markVerifiedMember).
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { join } from "node:path";
import Database from "better-sqlite3";
import express from "express";
import { openDatabase } from "../../bots/database.ts";
import { policyRoutes, type VerifiedMemberLookup } from "../../bots/directory/policy-http.ts";
import { findFreePort } from "../../scripts/lib/free-port.ts";

export interface PolicyDirectoryAccess {
  /** What the policy module asks (synapse-config/test.yaml's directory.url). */
  readonly url: string;
  readonly tokenFile: string;
  /** One file per registered database, holding its path. */
  readonly registryDir: string;
  /** The database of markVerifiedMember. */
  readonly sharedDatabase: string;
}

export interface RunningPolicyDirectory {
  readonly access: PolicyDirectoryAccess;
  stop(): Promise<void>;
}

/** Writes the registry entry that makes the directory read `databaseFile`'s verified members. */
export function registerPolicyDatabase(registryDir: string, databaseFile: string): void {
  writeFileSync(join(registryDir, `${randomBytes(6).toString("hex")}.path`), databaseFile);
}

/** Reads verified_members in every registered database; one not created yet (or gone) is skipped. */
class RegisteredDatabases implements VerifiedMemberLookup {
  private readonly open = new Map<string, Database.Database>();
  private readonly registryDir: string;

  constructor(registryDir: string) {
    this.registryDir = registryDir;
  }

  isVerified(userId: string): boolean {
    for (const entry of readdirSync(this.registryDir)) {
      const file = readFileSync(join(this.registryDir, entry), "utf8");
      try {
        let db = this.open.get(file);
        if (!db) {
          db = new Database(file, { readonly: true, fileMustExist: true });
          this.open.set(file, db);
        }
        if (db.prepare("SELECT 1 FROM verified_members WHERE user_id = ? AND active = 1").get(userId) !== undefined) return true;
      } catch {
        this.open.get(file)?.close();
        this.open.delete(file);
      }
    }
    return false;
  }

  close(): void {
    for (const db of this.open.values()) db.close();
  }
}

export async function startPolicyDirectory(dir: string): Promise<RunningPolicyDirectory> {
  const registryDir = join(dir, "registry");
  mkdirSync(registryDir, { recursive: true });
  const token = randomBytes(24).toString("base64url");
  const tokenFile = join(dir, "policy-token");
  writeFileSync(tokenFile, token, { mode: 0o600 });
  const sharedDatabase = join(dir, "members.db");
  openDatabase(sharedDatabase).close();
  registerPolicyDatabase(registryDir, sharedDatabase);

  const lookup = new RegisteredDatabases(registryDir);
  const port = await findFreePort();
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = express().use(policyRoutes(lookup, token)).listen(port, "127.0.0.1", () => resolve(listening));
    listening.once("error", reject);
  });
  return {
    access: { url: `http://127.0.0.1:${port}`, tokenFile, registryDir, sharedDatabase },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          lookup.close();
          resolve();
        });
      }),
  };
}
