import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { legacyLiveKitIdentity, liveKitIdentityFor, liveKitRoomFor, ROOM_CALL_SLOT } from "./livekit-names.ts";

const expected = (json: string): string => createHash("sha256").update(json).digest("base64").replace(/=+$/, "");

describe("LiveKit names (MSC4195, as lk-jwt-service)", () => {
  it("hashes the room ID and the slot as Go marshals a string list", () => {
    expect(liveKitRoomFor("!abc:cpts.test")).toBe(expected('["!abc:cpts.test","m.call#ROOM"]'));
    expect(liveKitRoomFor("!abc:cpts.test", ROOM_CALL_SLOT)).toBe(liveKitRoomFor("!abc:cpts.test"));
    expect(liveKitRoomFor("!abc:cpts.test")).not.toMatch(/[=!:]/);
  });

  it("escapes what Go's encoder escapes", () => {
    expect(liveKitRoomFor("!a<b>&c:cpts.test")).toBe(expected('["!a\\u003cb\\u003e\\u0026c:cpts.test","m.call#ROOM"]'));
  });

  it("gives each room and each slot its own LiveKit room", () => {
    expect(liveKitRoomFor("!abc:cpts.test")).not.toBe(liveKitRoomFor("!abd:cpts.test"));
    expect(liveKitRoomFor("!abc:cpts.test", "m.call#other")).not.toBe(liveKitRoomFor("!abc:cpts.test"));
  });

  it("derives participant identities", () => {
    expect(liveKitIdentityFor("@a:cpts.test", "DEV", "m1")).toBe(expected('["@a:cpts.test","DEV","m1"]'));
    expect(legacyLiveKitIdentity("@a:cpts.test", "DEV")).toBe("@a:cpts.test:DEV");
  });
});
