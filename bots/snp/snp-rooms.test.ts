import type { MatrixClient } from "matrix-js-sdk";
import { describe, expect, it } from "vitest";
import { CALL_MEMBER_STATE } from "../core/matrix/call-member.ts";
import { openDatabase } from "../database.ts";
import { SnpRooms } from "./snp-rooms.ts";

describe("SNP rooms", () => {
  it("let their members join the room's video call, and change no other state", async () => {
    const created: Record<string, unknown>[] = [];
    const client = {
      getRooms: () => [],
      createRoom: async (options: Record<string, unknown>) => (created.push(options), { room_id: "!case:cpts.test" }),
      getStateEvent: async () => ({ membership: "invite" }),
    } as unknown as MatrixClient;
    const rooms = new SnpRooms(client, openDatabase(":memory:"), { now: () => 0 });
    await rooms.ensureCaseRoom("SNP-7K3F", "Cas SNP-7K3F", []);
    expect(created[0]?.["power_level_content_override"]).toEqual({ events: { [CALL_MEMBER_STATE]: 0 } });
    expect(created[0]?.["preset"]).toBe("private_chat");
  });
});
