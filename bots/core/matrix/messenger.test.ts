import type { MatrixClient } from "matrix-js-sdk";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../store/database.ts";
import { Messenger } from "./messenger.ts";

/** A client whose rooms are created a little later, as a homeserver's are, and where the invited person shows at once. */
function fakeClient() {
  const created: string[] = [];
  const room = { getMember: () => ({ membership: "invite" }), getMyMembership: () => "join" };
  const client = {
    getRooms: () => [],
    getRoom: (roomId: string) => (created.includes(roomId) ? room : null),
    createRoom: async () => {
      await new Promise((r) => setTimeout(r, 10));
      created.push(`!dm${created.length + 1}:cpts.test`);
      return { room_id: created.at(-1)! };
    },
  };
  return { client: client as unknown as MatrixClient, created };
}

describe("the messenger's direct rooms", () => {
  it("opens one direct room for two messages to the same person sent side by side", async () => {
    const { client, created } = fakeClient();
    const messenger = new Messenger(client, openDatabase(":memory:"), "snp");
    const rooms = await Promise.all([messenger.directRoom("@ide1:cpts.test"), messenger.directRoom("@ide1:cpts.test")]);
    expect(created).toEqual(["!dm1:cpts.test"]);
    expect(rooms).toEqual(["!dm1:cpts.test", "!dm1:cpts.test"]);
    expect(await messenger.directRoom("@ide1:cpts.test")).toBe("!dm1:cpts.test");
  });
});
