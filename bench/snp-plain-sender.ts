// The baseline of the SNP dispatch benchmark, in its own process like the bot: one plain
// matrix-js-sdk client with Rust crypto that opens an encrypted DM with each peer, then on
// request sends one encrypted message into every DM (one after another, or all at once).
// Driven over the IPC channel by bench/snp-dispatch.ts (messages: PlainSenderRequest).
import { performance } from "node:perf_hooks";
import { createElementClient, type ElementClient } from "../test/helpers/element-client.ts";
import type { TestUser } from "../test/helpers/users.ts";

export type PlainSenderRequest =
  | { readonly type: "open"; readonly user: TestUser; readonly baseUrl: string; readonly peers: readonly string[] }
  | { readonly type: "send"; readonly body: string; readonly concurrent: boolean }
  | { readonly type: "stop" };

export type PlainSenderAnswer =
  | { readonly type: "opened"; readonly rooms: readonly string[]; readonly userId: string }
  | { readonly type: "sent"; readonly ms: number }
  | { readonly type: "failed"; readonly error: string };

let sender: ElementClient | undefined;
const rooms: string[] = [];

async function handle(request: PlainSenderRequest): Promise<PlainSenderAnswer | undefined> {
  switch (request.type) {
    case "open":
      sender = await createElementClient(request.user, request.baseUrl);
      for (const peer of request.peers) rooms.push(await sender.createEncryptedDm(peer));
      return { type: "opened", rooms, userId: sender.userId };
    case "send": {
      const client = sender;
      if (!client) throw new Error("send before open");
      const started = performance.now();
      if (request.concurrent) await Promise.all(rooms.map((roomId) => client.sendText(roomId, request.body)));
      else for (const roomId of rooms) await client.sendText(roomId, request.body);
      return { type: "sent", ms: performance.now() - started };
    }
    case "stop":
      await sender?.stop();
      process.exit(0);
  }
}

process.on("message", (request: PlainSenderRequest) => {
  handle(request).then(
    (answer) => answer && process.send?.(answer),
    (err: unknown) => process.send?.({ type: "failed", error: err instanceof Error ? err.message : String(err) } satisfies PlainSenderAnswer),
  );
});
