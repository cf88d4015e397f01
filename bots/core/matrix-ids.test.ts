import { describe, expect, it } from "vitest";
import { eventId, isEventId, isRoomId, isUserId, roomId, userId } from "./matrix-ids.ts";
import { MATRIX_USER_ID } from "./options-schema.ts";

/** What every user-id check of the code accepted before they became one. */
const VALID_USER_IDS = [
  "@mg:cpts.test",
  "@coordination:cpts.example.fr",
  "@ps8-10001234567:cpts-grand-douai.fr",
  "@a.b_c=d-e/f+g:localhost:8008",
  "@snp:127.0.0.1:8448",
  "@x:Matrix.CPTS.fr",
];

/** What the loosest check (`@` anything `:` anything, bots' options and the cpts section) let through. */
const INVALID_USER_IDS = [
  "@Anne:cpts.test",
  "@anne martin:cpts.test",
  "@éric:cpts.test",
  "@@anne:cpts.test",
  "@anne:cpts test",
  "@anne:cpts.test/rooms",
  "@anne:cpts.test:port",
  "@anne:cpts.test:123456",
  `@${"a".repeat(250)}:cpts.test`,
  "anne:cpts.test",
  "@anne",
  "@:cpts.test",
  "!room:cpts.test",
];

describe("Matrix user ids", () => {
  it("accepts the user ids a homeserver gives", () => {
    for (const id of VALID_USER_IDS) {
      expect(isUserId(id), id).toBe(true);
      expect(userId(id)).toBe(id);
      expect(MATRIX_USER_ID.safeParse(id).success, id).toBe(true);
    }
  });

  it("refuses upper case, spaces, accents, paths, bad ports and overlong ids, in code and in the configuration", () => {
    for (const id of INVALID_USER_IDS) {
      expect(isUserId(id), id).toBe(false);
      expect(() => userId(id)).toThrow(/not a Matrix user id/);
      expect(MATRIX_USER_ID.safeParse(id).error?.issues[0]?.message, id).toBe("a Matrix user ID like @name:server");
    }
  });
});

describe("room and event ids", () => {
  it("accepts room ids with and without a server name (room version 12), and event ids", () => {
    for (const id of ["!AbC123:cpts.test", "!Cx9h0TZLtcBQKPh2uG-r7Qm7sE5LzLMuVKgl5DbfFy0"]) expect(roomId(id)).toBe(id);
    expect(eventId("$Wq4J5N9a3E-e1lsS0jIv1z5dFKmX0C9tKkgqyp1v3f8")).toBe("$Wq4J5N9a3E-e1lsS0jIv1z5dFKmX0C9tKkgqyp1v3f8");
  });

  it("refuses one for the other, blanks and empty ids", () => {
    for (const id of ["$event", "@mg:cpts.test", "!", "! room", "", `!${"a".repeat(255)}`]) expect(isRoomId(id), id).toBe(false);
    for (const id of ["!room:cpts.test", "$", "$ev ent", ""]) expect(isEventId(id), id).toBe(false);
    expect(() => roomId("case")).toThrow(/not a Matrix room id/);
    expect(() => eventId("!room")).toThrow(/not a Matrix event id/);
  });
});
