// The bulk of the CPTS's members as light clients: accounts made through the shared-secret
// admin API, a password login, and a raw /sync long-poll with the lazy-loading filter Element
// uses. They post in the general and profession rooms events shaped like Megolm messages
// (m.room.encrypted with random ciphertext of the message's size): Synapse stores and fans
// them out exactly as real ones; nobody decrypts them (the members the bots talk to are full
// Element clients, elsewhere). Each sync reports when it brought a message, for the delivery
// latency, and some syncs end with a read receipt, as Element sends when a room is open.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { registerUser, type SharedSecretAccess } from "../../scripts/lib/synapse-admin.ts";
import { GENERAL_ROOM_SHARE, messageLength, PROFESSION_MIX, pickWeighted, READ_RECEIPT_SHARE } from "./activity.ts";

const SYNC_TIMEOUT_MS = 30_000;
const SENT_AT = "org.cpts.bench.sent_at";
const SYNC_FILTER = JSON.stringify({
  presence: { not_types: ["*"] },
  room: { state: { lazy_load_members: true }, timeline: { limit: 10, lazy_load_members: true } },
});

const POSITION_ONLY_FILTER = JSON.stringify({ presence: { not_types: ["*"] }, account_data: { not_types: ["*"] }, room: { rooms: [] } });

const now = (): number => performance.timeOrigin + performance.now();

export interface LightMember {
  readonly userId: string;
  readonly accessToken: string;
  readonly profession: string;
}

/** Runs `task` over `items`, at most `width` at a time. */
export async function inPool<T>(items: readonly T[], width: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index]!, index);
    }
  });
  await Promise.all(lanes);
}

export class MatrixHttp {
  private readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async call<T>(method: string, path: string, token: string | undefined, body?: unknown, signal?: AbortSignal): Promise<T> {
    const res = await fetch(`${this.baseUrl}/_matrix/client/v3${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal ? { signal } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path.split("?")[0]}: HTTP ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  }
}

export async function registerLightMember(synapse: SharedSecretAccess, index: number, random: () => number): Promise<LightMember> {
  const localpart = `membre-${index}-${randomBytes(3).toString("hex")}`;
  const password = randomBytes(12).toString("base64url");
  const { userId } = await registerUser(synapse, { localpart, password, displayName: `Membre ${index}` });
  const login = await new MatrixHttp(synapse.baseUrl).call<{ access_token: string }>("POST", "/login", undefined, {
    type: "m.login.password",
    identifier: { type: "m.id.user", user: localpart },
    password,
    initial_device_display_name: "Element (charge)",
  });
  return { userId, accessToken: login.access_token, profession: pickWeighted(PROFESSION_MIX, random) };
}

/** A Megolm-shaped event of a message of `length` characters (base64 of plaintext JSON plus Megolm overhead). */
function encryptedLookalike(length: number, deviceId: string): Record<string, unknown> {
  return {
    algorithm: "m.megolm.v1.aes-sha2",
    sender_key: randomBytes(32).toString("base64").replace(/=+$/, ""),
    session_id: randomBytes(32).toString("base64").replace(/=+$/, ""),
    device_id: deviceId,
    ciphertext: randomBytes(Math.ceil((length + 180) * 1.1)).toString("base64").replace(/=+$/, ""),
    // Whole milliseconds: Synapse refuses floats in events (canonical JSON).
    [SENT_AT]: Math.round(now()),
  };
}

interface SyncResponse {
  next_batch: string;
  rooms?: { join?: Record<string, { timeline?: { events?: { event_id: string; sender: string; content?: Record<string, unknown> }[] } }> };
}

export interface CrowdFigures {
  readonly members: number;
  readonly syncs: number;
  readonly syncErrors: number;
  readonly syncMbReceived: number;
  readonly readReceipts: number;
  readonly roomMessagesSent: number;
  readonly sendErrors: number;
  /** Each (message, member of its room) pair: send → the member's /sync returned it. */
  readonly deliveryMs: number[];
  readonly sendMs: number[];
}

/** The light members, the rooms they share, and their sync loops. */
export class LightCrowd {
  private readonly http: MatrixHttp;
  private readonly controller = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private syncs = 0;
  private syncErrors = 0;
  private syncBytes = 0;
  private readReceipts = 0;
  private sent = 0;
  private sendErrors = 0;
  private readonly deliveryMs: number[] = [];
  private readonly sendMs: number[] = [];
  private txn = 0;
  private readonly baseUrl: string;
  private readonly members: readonly LightMember[];
  /** Room ids by community-plan key ("general", "ide", "mg"…). */
  private readonly rooms: ReadonlyMap<string, string>;
  private readonly random: () => number;

  constructor(baseUrl: string, members: readonly LightMember[], rooms: ReadonlyMap<string, string>, random: () => number) {
    this.baseUrl = baseUrl;
    this.members = members;
    this.rooms = rooms;
    this.random = random;
    this.http = new MatrixHttp(baseUrl);
  }

  /**
   * Every member long-polls from now on, as an Element open since the morning: the first sync
   * asks for no room (a position in the stream, cheap), the next ones for everything new.
   */
  async startSyncing(width: number): Promise<void> {
    await inPool(this.members, width, async (member) => {
      const first = await this.http.call<SyncResponse>("GET", `/sync?filter=${encodeURIComponent(POSITION_ONLY_FILTER)}&timeout=0`, member.accessToken);
      this.loops.push(this.syncLoop(member, first.next_batch));
    });
  }

  private async syncLoop(member: LightMember, since: string): Promise<void> {
    while (!this.controller.signal.aborted) {
      try {
        const res = await fetch(`${this.baseUrl}/_matrix/client/v3/sync?filter=${encodeURIComponent(SYNC_FILTER)}&timeout=${SYNC_TIMEOUT_MS}&since=${since}`, {
          headers: { authorization: `Bearer ${member.accessToken}` },
          signal: this.controller.signal,
        });
        const text = await res.text();
        const arrivedAt = now();
        if (!res.ok) throw new Error(`sync HTTP ${res.status}`);
        this.syncs++;
        this.syncBytes += text.length;
        const body = JSON.parse(text) as SyncResponse;
        since = body.next_batch;
        for (const [roomId, room] of Object.entries(body.rooms?.join ?? {})) {
          const fromOthers = (room.timeline?.events ?? []).filter((e) => e.sender !== member.userId);
          for (const event of fromOthers) {
            const sentAt = event.content?.[SENT_AT];
            if (typeof sentAt === "number") this.deliveryMs.push(arrivedAt - sentAt);
          }
          const last = fromOthers.at(-1);
          if (last && this.random() < READ_RECEIPT_SHARE) {
            this.readReceipts++;
            void this.http.call("POST", `/rooms/${encodeURIComponent(roomId)}/receipt/m.read/${encodeURIComponent(last.event_id)}`, member.accessToken, {}).catch(() => this.syncErrors++);
          }
        }
      } catch {
        if (this.controller.signal.aborted) return;
        this.syncErrors++;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  }

  /** One member posts in the general room or in their profession room. */
  async postRoomMessage(): Promise<void> {
    const member = this.members[Math.floor(this.random() * this.members.length)]!;
    const roomId = this.random() < GENERAL_ROOM_SHARE ? this.rooms.get("general")! : this.rooms.get(member.profession)!;
    const started = performance.now();
    try {
      await this.http.call("PUT", `/rooms/${encodeURIComponent(roomId)}/send/m.room.encrypted/bench-${this.txn++}`, member.accessToken, encryptedLookalike(messageLength(this.random), "CHARGE"));
      this.sendMs.push(performance.now() - started);
      this.sent++;
    } catch (err) {
      if (this.sendErrors++ < 2) console.error(`[cpts-day] a room message failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  figures(): CrowdFigures {
    return {
      members: this.members.length,
      syncs: this.syncs,
      syncErrors: this.syncErrors,
      syncMbReceived: Math.round((this.syncBytes / 1e6) * 10) / 10,
      readReceipts: this.readReceipts,
      roomMessagesSent: this.sent,
      sendErrors: this.sendErrors,
      deliveryMs: this.deliveryMs,
      sendMs: this.sendMs,
    };
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await Promise.allSettled(this.loops);
  }
}

/**
 * The general room and one room per profession (names of bots/directory/community-plan.ts),
 * encrypted and private as the directory bot makes them, created by `owner`; every member
 * invited to the general room and their profession's, and joining.
 */
export async function communityRooms(baseUrl: string, owner: LightMember, members: readonly LightMember[], width: number): Promise<Map<string, string>> {
  const http = new MatrixHttp(baseUrl);
  const rooms = new Map<string, string>();
  for (const key of ["general", ...PROFESSION_MIX.map(([room]) => room)]) {
    const { room_id } = await http.call<{ room_id: string }>("POST", "/createRoom", owner.accessToken, {
      name: key === "general" ? "Général" : `Salon ${key}`,
      preset: "private_chat",
      visibility: "private",
      initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
    });
    rooms.set(key, room_id);
  }
  await inPool(members, width, async (member) => {
    for (const key of ["general", member.profession]) {
      const roomId = encodeURIComponent(rooms.get(key)!);
      await http.call("POST", `/rooms/${roomId}/invite`, owner.accessToken, { user_id: member.userId });
      await http.call("POST", `/join/${roomId}`, member.accessToken, {});
    }
  });
  return rooms;
}
