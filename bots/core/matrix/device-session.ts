import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, mkdirSync, mkdtempSync, openSync, fsyncSync, closeSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "matrix-js-sdk";
import type { Logger } from "../logger.ts";
import type { DeviceSession } from "./open-client.ts";

export const SESSION_FILE = "session.json";
const STAGING_PREFIX = "crypto.staging-";

export interface DeviceLogin {
  readonly homeserverUrl: string;
  readonly userId: string;
  readonly password: string;
  readonly deviceDisplayName: string;
}

export interface DeviceInitRequest extends DeviceLogin {
  readonly stagingDir: string;
  readonly storageKeyBase64: string;
}

export function cryptoDirOf(botDataDir: string): string {
  return join(botDataDir, "crypto");
}

export function readSession(dir: string): DeviceSession | undefined {
  const file = join(dir, SESSION_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, "utf8")) as DeviceSession;
}

/**
 * Returns the bot's device, creating it once. A device is only ever used once its crypto
 * store is complete: the first login and crypto initialisation run in a child process in
 * a staging folder, which is renamed into place (atomic) only after the device keys are on
 * the server. A `kill -9` at any moment before that leaves a staging folder, which the next
 * start logs out and deletes; after it, the device and its keys are kept for good.
 */
export async function ensureDevice(botDataDir: string, login: DeviceLogin, storageKey: Uint8Array, logger: Logger): Promise<DeviceSession> {
  const finalDir = cryptoDirOf(botDataDir);
  const existing = readSession(finalDir);
  if (existing) {
    if (existing.userId !== login.userId) {
      throw new Error(`crypto store at ${finalDir} belongs to ${existing.userId}, not ${login.userId}`);
    }
    return { ...existing, homeserverUrl: login.homeserverUrl };
  }
  if (existsSync(finalDir)) {
    throw new Error(`crypto store at ${finalDir} has no ${SESSION_FILE}: refusing to guess; move it away to start a new device`);
  }
  mkdirSync(botDataDir, { recursive: true, mode: 0o700 });
  await discardAbandonedStaging(botDataDir, login.homeserverUrl, logger);
  const stagingDir = mkdtempSync(join(botDataDir, STAGING_PREFIX));
  await runDeviceInitChild({ ...login, stagingDir, storageKeyBase64: Buffer.from(storageKey).toString("base64") });
  renameSync(stagingDir, finalDir);
  fsyncDir(botDataDir);
  const created = readSession(finalDir);
  if (!created) throw new Error(`device initialisation finished without ${SESSION_FILE}`);
  logger.info({ deviceId: created.deviceId }, "new bot device created");
  return created;
}

async function discardAbandonedStaging(botDataDir: string, homeserverUrl: string, logger: Logger): Promise<void> {
  for (const name of readdirSync(botDataDir)) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const dir = join(botDataDir, name);
    const abandoned = readSession(dir);
    if (abandoned) {
      try {
        await createClient({ baseUrl: homeserverUrl, accessToken: abandoned.accessToken }).logout(true);
        logger.warn({ deviceId: abandoned.deviceId }, "logged out a device whose initialisation was interrupted");
      } catch (err) {
        logger.warn({ deviceId: abandoned.deviceId, err: (err as Error).message }, "could not log out an interrupted device (already gone?)");
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

function runDeviceInitChild(request: DeviceInitRequest): Promise<void> {
  const entry = fileURLToPath(new URL("./init-device-child.ts", import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry], { stdio: ["pipe", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`device initialisation failed (exit ${code ?? signal}); see the log above`));
    });
    // stdin stays open while we live: the child stops if this process dies mid-way.
    child.stdin.write(`${JSON.stringify(request)}\n`);
  });
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
