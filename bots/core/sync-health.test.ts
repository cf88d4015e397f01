import { describe, expect, it } from "vitest";
import { SyncHealth } from "./sync-health.ts";

describe("SyncHealth", () => {
  it("is not ready before the first completed sync, then ready", async () => {
    const health = new SyncHealth();
    expect(health.health()).toEqual({ ready: false, state: "STARTING" });
    expect(health.onSyncState("RECONNECTING", 1)).toBe(false);
    expect(health.health().ready).toBe(false);
    expect(health.onSyncState("PREPARED", 2)).toBe(true);
    await health.firstSync;
    expect(health.health()).toEqual({ ready: true, state: "PREPARED" });
    expect(health.lastSync()).toBe(2);
  });

  it("turns unready while syncing fails and ready again when it recovers", () => {
    const health = new SyncHealth();
    health.onSyncState("PREPARED", 1);
    health.onSyncState("ERROR", 2);
    expect(health.health()).toEqual({ ready: false, state: "ERROR" });
    health.onSyncState("SYNCING", 3);
    expect(health.health().ready).toBe(true);
    expect(health.lastSync()).toBe(3);
  });

  it("does not count the sync data replayed from disk at start as a sync", () => {
    const health = new SyncHealth();
    expect(health.onSyncState("PREPARED", 1, true)).toBe(false);
    expect(health.health()).toEqual({ ready: false, state: "LOADED_FROM_DISK" });
    expect(health.lastSync()).toBeUndefined();
    expect(health.onSyncState("SYNCING", 2)).toBe(true);
    expect(health.health()).toEqual({ ready: true, state: "SYNCING" });
  });
});
