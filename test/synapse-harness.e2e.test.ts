// Proves the end-to-end harness: a real Synapse, shared-secret accounts, and two
// Element-like clients that really encrypt.
import { afterAll, describe, expect, inject, it } from "vitest";
import { registerUser } from "../scripts/lib/synapse-admin.ts";
import { createElementClient, type ElementClient } from "./helpers/element-client.ts";
import { markVerifiedMember } from "./helpers/members.ts";
import { createTestUser } from "./helpers/users.ts";

const synapse = inject("synapse");
const clients: ElementClient[] = [];

afterAll(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

/** A verified member's client: the test Synapse's policy lets verified members invite each other. */
async function element(prefix: string): Promise<ElementClient> {
  const user = await createTestUser(prefix);
  markVerifiedMember(user.userId);
  const c = await createElementClient(user);
  clients.push(c);
  return c;
}

describe("test Synapse", () => {
  it("answers /health", async () => {
    const res = await fetch(`${synapse.baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("OK");
  });

  it("registers accounts through the shared secret, idempotently", async () => {
    const localpart = `seed-${Date.now()}`;
    const first = await registerUser(synapse, { localpart, password: "correct horse", displayName: "Dr Seed" });
    expect(first).toEqual({ userId: `@${localpart}:${synapse.serverName}`, created: true });
    const again = await registerUser(synapse, { localpart, password: "other" });
    expect(again).toEqual({ userId: first.userId, created: false });

    const login = await fetch(`${synapse.baseUrl}/_matrix/client/v3/login`, {
      method: "POST",
      body: JSON.stringify({ type: "m.login.password", identifier: { type: "m.id.user", user: localpart }, password: "correct horse" }),
    });
    expect(login.status).toBe(200);
  });

  it("refuses self-service registration", async () => {
    const res = await fetch(`${synapse.baseUrl}/_matrix/client/v3/register`, {
      method: "POST",
      body: JSON.stringify({ username: "intruder", password: "x" }),
    });
    expect(res.status).toBe(403);
  });
});

describe("Element-like clients", () => {
  it("exchange an end-to-end encrypted message in a DM", async () => {
    const [alice, bob] = await Promise.all([element("alice"), element("bob")]);
    const roomId = await alice.createEncryptedDm(bob.userId);
    await bob.joinRoom(roomId);
    await alice.waitForJoin(roomId, bob.userId);

    const eventId = await alice.sendText(roomId, "Bonjour, patient vu ce matin");
    const received = await bob.waitForMessage(roomId, (e) => e.getId() === eventId);

    expect(received.getType()).toBe("m.room.message");
    expect(received.getContent()).toMatchObject({ msgtype: "m.text", body: "Bonjour, patient vu ce matin" });
    expect(received.getWireType()).toBe("m.room.encrypted");
    expect(received.getSender()).toBe(alice.userId);

    // What the server stores and serves: ciphertext only.
    const raw = await bob.client.fetchRoomEvent(roomId, eventId);
    expect(raw.type).toBe("m.room.encrypted");
    expect(raw.content).toMatchObject({ algorithm: "m.megolm.v1.aes-sha2" });
    expect(JSON.stringify(raw)).not.toContain("patient");
  });

  it("gets an encrypted room even when the creator does not ask for encryption", async () => {
    const [carol, dave] = await Promise.all([element("carol"), element("dave")]);
    const roomId = await carol.createRoom({ name: "Équipe de soins", invite: [dave.userId] });

    const encryption = await carol.client.getStateEvent(roomId, "m.room.encryption", "");
    expect(encryption).toMatchObject({ algorithm: "m.megolm.v1.aes-sha2" });

    await dave.joinRoom(roomId);
    await carol.waitForJoin(roomId, dave.userId);
    const eventId = await carol.sendText(roomId, "Transmission");
    const received = await dave.waitForMessage(roomId, (e) => e.getId() === eventId);
    expect(received.getWireType()).toBe("m.room.encrypted");
    expect(received.getContent().body).toBe("Transmission");
  });

  it("finds a message that arrived before waitForMessage was called", async () => {
    const [erin, frank] = await Promise.all([element("erin"), element("frank")]);
    const roomId = await erin.createEncryptedDm(frank.userId);
    await frank.joinRoom(roomId);
    await erin.waitForJoin(roomId, frank.userId);
    const eventId = await erin.sendText(roomId, "déjà là");
    await frank.waitForMessage(roomId, (e) => e.getId() === eventId);

    const again = await frank.waitForMessage(roomId, (e) => e.getContent().body === "déjà là", 1_000);
    expect(again.getId()).toBe(eventId);
  });
});
