import { describe, expect, it } from "vitest";
import { acceptsInviteFrom, classifyEvent, classifyReaction, type IncomingEvent, type InvitePolicy } from "./intake.ts";

const BOT = "@accueil:cpts.test";
const message = (content: Record<string, unknown>, overrides: Partial<IncomingEvent> = {}): IncomingEvent => ({
  eventId: "$e",
  roomId: "!r:cpts.test",
  sender: "@dr.dupont:cpts.test",
  type: "m.room.message",
  originServerTs: 2_000,
  encrypted: true,
  content,
  ...overrides,
});

describe("classifyEvent", () => {
  it("takes a text typed by a person after the bot joined", () => {
    expect(classifyEvent(message({ msgtype: "m.text", body: "!ping" }), BOT, 1_000)).toEqual({ kind: "text", body: "!ping" });
  });

  it.each([
    ["own-event", message({ msgtype: "m.text", body: "!ping" }, { sender: BOT }), 1_000],
    ["not-a-message", message({ body: "!ping" }, { type: "m.reaction" }), 1_000],
    ["before-join", message({ msgtype: "m.text", body: "!ping" }, { originServerTs: 999 }), 1_000],
    ["before-join", message({ msgtype: "m.text", body: "!ping" }), undefined],
    ["edit", message({ msgtype: "m.text", body: "* !ping", "m.relates_to": { rel_type: "m.replace", event_id: "$x" } }), 1_000],
    ["notice", message({ msgtype: "m.notice", body: "!ping" }), 1_000],
    ["not-text", message({ msgtype: "m.image", body: "!ping" }), 1_000],
    ["no-body", message({ msgtype: "m.text" }), 1_000],
    ["no-body", message({ msgtype: "m.text", body: 42 }), 1_000],
  ] as const)("ignores %s", (reason, event, joinedAt) => {
    expect(classifyEvent(event, BOT, joinedAt)).toEqual({ kind: "ignore", reason });
  });
});

describe("acceptsInviteFrom", () => {
  const policy = (overrides: Partial<InvitePolicy> = {}): InvitePolicy => ({
    acceptFrom: "verified-members",
    allowedUsers: [],
    allowedServers: [],
    serverName: "cpts.test",
    ...overrides,
  });
  const verified = new Set(["@dr.dupont:cpts.test"]);
  const isVerified = (userId: string) => verified.has(userId);

  it("accepts verified members only, by default", () => {
    expect(acceptsInviteFrom("@dr.dupont:cpts.test", policy(), isVerified)).toBe(true);
    expect(acceptsInviteFrom("@stranger:cpts.test", policy(), isVerified)).toBe(false);
  });

  it("accepts the allow-listed users and servers whatever the mode", () => {
    expect(acceptsInviteFrom("@ops:cpts.test", policy({ allowedUsers: ["@ops:cpts.test"] }), isVerified)).toBe(true);
    expect(acceptsInviteFrom("@x:partner.example", policy({ allowedServers: ["partner.example"] }), isVerified)).toBe(true);
    expect(acceptsInviteFrom("@x:other.example", policy({ allowedServers: ["partner.example"] }), isVerified)).toBe(false);
  });

  it("local-users accepts this homeserver's accounts and nobody else", () => {
    expect(acceptsInviteFrom("@stranger:cpts.test", policy({ acceptFrom: "local-users" }), isVerified)).toBe(true);
    expect(acceptsInviteFrom("@x:cpts.test.evil", policy({ acceptFrom: "local-users" }), isVerified)).toBe(false);
  });

  it("anyone accepts everybody", () => {
    expect(acceptsInviteFrom("@x:elsewhere.example", policy({ acceptFrom: "anyone" }), isVerified)).toBe(true);
  });
});

describe("classifyReaction", () => {
  const reaction = (relation: Record<string, unknown>, overrides: Partial<IncomingEvent> = {}) =>
    message({ "m.relates_to": relation }, { type: "m.reaction", ...overrides });

  it("reads the emoji and the message it was put on", () => {
    expect(classifyReaction(reaction({ rel_type: "m.annotation", event_id: "$req", key: "✅" }), BOT, 1_000)).toEqual({
      eventId: "$e",
      roomId: "!r:cpts.test",
      sender: "@dr.dupont:cpts.test",
      targetEventId: "$req",
      key: "✅",
    });
  });

  it("ignores the bot's own reactions, old ones, other relations and malformed ones", () => {
    const valid = { rel_type: "m.annotation", event_id: "$req", key: "✅" };
    expect(classifyReaction(reaction(valid, { sender: BOT }), BOT, 1_000)).toBeUndefined();
    expect(classifyReaction(reaction(valid, { originServerTs: 10 }), BOT, 1_000)).toBeUndefined();
    expect(classifyReaction(reaction({ ...valid, rel_type: "m.reference" }), BOT, 1_000)).toBeUndefined();
    expect(classifyReaction(reaction({ rel_type: "m.annotation", event_id: "$req" }), BOT, 1_000)).toBeUndefined();
    expect(classifyReaction(message({ msgtype: "m.text", body: "✅" }), BOT, 1_000)).toBeUndefined();
  });
});
