import type { MatrixClient } from "matrix-js-sdk";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../store/database.ts";
import { Messenger } from "./messenger.ts";

const BOT = "@snp:cpts.test";
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 2));

/**
 * A homeserver and sync in memory, enough for the Messenger: rooms the bot created are
 * joined by the bot with the invitee invited; each send takes a few ticks.
 */
function fakeClient(options: { failSendTo?: string; rateLimitOnceFor?: string; warmUpFails?: boolean } = {}) {
  const rooms = new Map<string, { invitee: string }>();
  const sent: { roomId: string; txnId: string }[] = [];
  const limited = new Set<string>();
  const sessionWarmUps: { userId: string; deviceId: string }[][] = [];
  let sending = 0;
  let mostSendsAtOnce = 0;
  const room = (roomId: string) => {
    const r = rooms.get(roomId);
    return (
      r && {
        roomId,
        getMyMembership: () => "join",
        getMember: (userId: string) => (userId === r.invitee ? { membership: "invite" } : userId === BOT ? { membership: "join" } : null),
        getEventForTxnId: () => undefined,
      }
    );
  };
  const client = {
    getRoom: room,
    getRooms: () => [],
    getCrypto: () => ({
      isEncryptionEnabledInRoom: async () => true,
      getUserDeviceInfo: async (userIds: string[]) => new Map(userIds.map((u) => [u, new Map([["PHONE", {}]])])),
      encryptToDeviceMessages: async (_type: string, devices: { userId: string; deviceId: string }[]) => {
        sessionWarmUps.push(devices);
        if (options.warmUpFails) throw new Error("MissingSession");
        return { eventType: "m.room.encrypted", batch: [] };
      },
    }),
    async createRoom({ invite }: { invite: string[] }) {
      await tick();
      const roomId = `!dm${rooms.size + 1}:cpts.test`;
      rooms.set(roomId, { invitee: invite[0]! });
      return { room_id: roomId };
    },
    async sendEvent(roomId: string, _type: string, _content: unknown, txnId: string) {
      sending++;
      mostSendsAtOnce = Math.max(mostSendsAtOnce, sending);
      for (let i = 0; i < 3; i++) await tick();
      sending--;
      const invitee = rooms.get(roomId)?.invitee;
      if (invitee === options.failSendTo) throw new Error("M_FORBIDDEN");
      if (invitee !== undefined && invitee === options.rateLimitOnceFor && !limited.has(invitee)) {
        limited.add(invitee);
        throw Object.assign(new Error("Too Many Requests"), { errcode: "M_LIMIT_EXCEEDED", data: { retry_after_ms: 5 } });
      }
      sent.push({ roomId, txnId });
      return { event_id: `$${txnId}` };
    },
  };
  return { client: client as unknown as MatrixClient, rooms, sent, sessionWarmUps, mostSendsAtOnce: () => mostSendsAtOnce };
}

const people = (n: number): string[] => Array.from({ length: n }, (_, i) => `@ide${i + 1}:cpts.test`);

describe("Messenger.directMany", () => {
  it("opens each DM once and sends to everyone concurrently, a bounded number at a time, recording each send", async () => {
    const fake = fakeClient();
    const messenger = new Messenger(fake.client, openDatabase(":memory:"), "snp");
    const recorded: string[] = [];
    await messenger.directMany(people(20), (userId) => ({ reply: { text: `bonjour ${userId}` }, idempotencyKey: `k:${userId}` }), (userId, sent) => {
      expect(fake.sent.some((s) => s.roomId === sent.roomId)).toBe(true);
      recorded.push(userId);
    });
    expect(new Set(recorded)).toEqual(new Set(people(20)));
    expect(fake.rooms.size).toBe(20);
    expect(fake.mostSendsAtOnce()).toBeGreaterThan(1);
    expect(fake.mostSendsAtOnce()).toBeLessThanOrEqual(8);
  });

  it("establishes the Olm sessions of everyone first contacted in one pass, and not again later", async () => {
    const fake = fakeClient();
    const messenger = new Messenger(fake.client, openDatabase(":memory:"), "snp");
    const message = (userId: string) => ({ reply: { text: "x" }, idempotencyKey: `k1:${userId}` });
    await messenger.directMany(people(5), message, () => {});
    expect(fake.sessionWarmUps.map((devices) => devices.map((d) => d.userId).sort())).toEqual([people(5)]);
    await messenger.directMany(people(5), (userId) => ({ reply: { text: "y" }, idempotencyKey: `k2:${userId}` }), () => {});
    expect(fake.sessionWarmUps).toHaveLength(1);
    expect(fake.sent).toHaveLength(10);
  });

  it("still sends to everyone when establishing the Olm sessions in one pass fails", async () => {
    const fake = fakeClient({ warmUpFails: true });
    const messenger = new Messenger(fake.client, openDatabase(":memory:"), "snp");
    await messenger.directMany(people(3), (userId) => ({ reply: { text: "x" }, idempotencyKey: userId }), () => {});
    expect(fake.sessionWarmUps).toHaveLength(1);
    expect(fake.sent).toHaveLength(3);
  });

  it("tries everyone when one send fails, records only the sent ones, then reports the failure", async () => {
    const fake = fakeClient({ failSendTo: "@ide2:cpts.test" });
    const messenger = new Messenger(fake.client, openDatabase(":memory:"), "snp");
    const recorded: string[] = [];
    const dispatch = messenger.directMany(people(4), () => ({ reply: { text: "x" }, idempotencyKey: "k" }), (userId) => recorded.push(userId));
    await expect(dispatch).rejects.toThrow("1 of 4 direct message(s) not sent: M_FORBIDDEN");
    expect(recorded.sort()).toEqual(["@ide1:cpts.test", "@ide3:cpts.test", "@ide4:cpts.test"]);
  });

  it("waits as the homeserver asks when rate-limited, then sends the message once", async () => {
    const fake = fakeClient({ rateLimitOnceFor: "@ide3:cpts.test" });
    const messenger = new Messenger(fake.client, openDatabase(":memory:"), "snp");
    const recorded: string[] = [];
    await messenger.directMany(people(4), (userId) => ({ reply: { text: "x" }, idempotencyKey: userId }), (userId) => recorded.push(userId));
    expect(recorded.sort()).toEqual(people(4));
    expect(fake.sent).toHaveLength(4);
  });

  it("opens one DM when two messages to a new person are sent at once", async () => {
    const fake = fakeClient();
    const messenger = new Messenger(fake.client, openDatabase(":memory:"), "snp");
    const [a, b] = await Promise.all([messenger.direct("@ide1:cpts.test", { text: "a" }, "a"), messenger.direct("@ide1:cpts.test", { text: "b" }, "b")]);
    expect(fake.rooms.size).toBe(1);
    expect(a.roomId).toBe(b.roomId);
  });
});
