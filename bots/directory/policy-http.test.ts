import { mkdtempSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot, type BotServices } from "../core/bot-runtime.ts";
import { testCpts } from "./test-cpts.ts";
import { ConfigError } from "../core/config.ts";
import { openDatabase } from "../database.ts";
import { VerifiedMembers } from "../core/store/verified-members.ts";
import { directoryBot } from "../registry.ts";
import { policyRoutes } from "./policy-http.ts";

const TOKEN = "policy-token-for-tests-0123456789";
const db = openDatabase(":memory:");
const members = new VerifiedMembers(db, { now: () => 1 });
members.markVerified("@dr.dupont:cpts.test", "test");
members.markVerified("@ancien:cpts.test", "test");
members.deactivate("@ancien:cpts.test");

let server: Server;
let base: string;

beforeAll(async () => {
  const app = express().use(policyRoutes(members, TOKEN));
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const ask = (userId: string, authorization?: string): Promise<Response> =>
  fetch(`${base}/policy/members/${encodeURIComponent(userId)}`, authorization ? { headers: { authorization } } : {});

describe("GET /policy/members/:userId", () => {
  it("answers whether an account is an active verified member", async () => {
    for (const [userId, verified] of [
      ["@dr.dupont:cpts.test", true],
      ["@ancien:cpts.test", false],
      ["@inconnu:cpts.test", false],
    ] as const) {
      const res = await ask(userId, `Bearer ${TOKEN}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await res.json()).toEqual({ verified });
    }
  });

  it("refuses a missing, malformed or wrong token without telling anything about the account", async () => {
    for (const authorization of [undefined, TOKEN, `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, "Bearer short", `Bearer ${TOKEN} extra`]) {
      const res = await ask("@dr.dupont:cpts.test", authorization);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
      expect(JSON.stringify(await res.json())).not.toContain("verified");
    }
  });

  it("rejects what is not a Matrix user ID", async () => {
    for (const userId of ["dr.dupont", "@dr.dupont", `@${"a".repeat(260)}:cpts.test`, "@a b:cpts.test", "@Dr.Dupont:cpts.test", "@dr.dupont:cpts.test/x", "@dr.dupont:cpts.test:99999x"]) {
      const res = await ask(userId, `Bearer ${TOKEN}`);
      expect(res.status).toBe(400);
    }
  });
});

describe("annuaire option policyApiTokenFile", () => {
  const services = { db, clock: { now: () => 0 }, members, cpts: testCpts() } as unknown as BotServices;
  const options = { console: { enabled: false } };

  it("serves the policy routes only when a token file is configured", () => {
    const dir = mkdtempSync(join(tmpdir(), "policy-token-"));
    const tokenFile = join(dir, "token");
    writeFileSync(tokenFile, `${TOKEN}\n`);
    expect(createBot(directoryBot, services, options).httpRoutes).toBeUndefined();
    expect(createBot(directoryBot, services, { ...options, policyApiTokenFile: tokenFile }).httpRoutes).toBeDefined();
  });

  it("names the option when the token file cannot be read or is empty", () => {
    const dir = mkdtempSync(join(tmpdir(), "policy-token-"));
    writeFileSync(join(dir, "empty"), "\n");
    for (const file of [join(dir, "missing"), join(dir, "empty")]) {
      expect(() => createBot(directoryBot, services, { ...options, policyApiTokenFile: file })).toThrow(ConfigError);
      expect(() => createBot(directoryBot, services, { ...options, policyApiTokenFile: file })).toThrow(/bots\.annuaire\.options\.policyApiTokenFile/);
    }
  });
});
