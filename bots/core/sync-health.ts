/** Sync states as matrix-js-sdk names them (SyncState values), kept as strings: no SDK import here. */
const LIVE_STATES = new Set(["PREPARED", "SYNCING", "CATCHUP"]);

export interface Health {
  readonly ready: boolean;
  readonly state: string;
}

/**
 * Ready only once the first sync has completed, and only while syncing works: a bot that
 * has not caught up with its rooms must not be reported healthy (it would miss commands).
 */
export class SyncHealth {
  readonly firstSync: Promise<void>;
  private resolveFirstSync!: () => void;
  private state = "STARTING";
  private synced = false;
  private lastSyncAt: number | undefined;

  constructor() {
    this.firstSync = new Promise((resolve) => (this.resolveFirstSync = resolve));
  }

  /**
   * Returns true when this state completed a sync with the homeserver. `fromCache`: the
   * SDK replays the sync data saved on disk as "PREPARED" before asking the homeserver;
   * that is not being in sync, what was sent meanwhile is still unknown.
   */
  onSyncState(state: string, at: number, fromCache = false): boolean {
    this.state = fromCache ? "LOADED_FROM_DISK" : state;
    if (fromCache || (state !== "PREPARED" && state !== "SYNCING")) return false;
    this.lastSyncAt = at;
    if (!this.synced) {
      this.synced = true;
      this.resolveFirstSync();
    }
    return true;
  }

  health(): Health {
    return { ready: this.synced && LIVE_STATES.has(this.state), state: this.state };
  }

  lastSync(): number | undefined {
    return this.lastSyncAt;
  }
}
