import { EventStatus, MatrixEvent } from "matrix-js-sdk";
import { describe, expect, it } from "vitest";
import { quietSdkGlobalLogger } from "./sdk-logger.ts";
import { sendQueueOf, sendScheduler } from "./send-queue.ts";

quietSdkGlobalLogger();

const message = (roomId: string, relatesTo?: Record<string, unknown>): MatrixEvent =>
  new MatrixEvent({ type: "m.room.message", room_id: roomId, sender: "@bot:cpts.test", content: { msgtype: "m.text", body: "x", ...(relatesTo ? { "m.relates_to": relatesTo } : {}) } });

/** A send the test finishes by hand. */
function pendingSend() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { done, finish };
}

describe("sendQueueOf", () => {
  it("queues messages by room and thread, the main timeline being one queue", () => {
    expect(sendQueueOf(message("!a:cpts.test"))).toBe(sendQueueOf(message("!a:cpts.test")));
    expect(sendQueueOf(message("!a:cpts.test"))).not.toBe(sendQueueOf(message("!b:cpts.test")));
    const inThread = message("!a:cpts.test", { rel_type: "m.thread", event_id: "$root1", is_falling_back: true, "m.in_reply_to": { event_id: "$mail1" } });
    expect(sendQueueOf(inThread)).not.toBe(sendQueueOf(message("!a:cpts.test")));
    expect(sendQueueOf(inThread)).toBe(sendQueueOf(message("!a:cpts.test", { rel_type: "m.thread", event_id: "$root1" })));
    expect(sendQueueOf(inThread)).not.toBe(sendQueueOf(message("!a:cpts.test", { rel_type: "m.thread", event_id: "$root2" })));
  });

  it("queues nothing the SDK would send at once", () => {
    expect(sendQueueOf(new MatrixEvent({ type: "m.room.topic", room_id: "!a:cpts.test", state_key: "", content: { topic: "t" } }))).toBeNull();
  });
});

describe("sendScheduler", () => {
  it("sends a thread's message while the main timeline's is on its way, and one timeline's in order", async () => {
    const scheduler = sendScheduler();
    const started: string[] = [];
    const sends = new Map<string, ReturnType<typeof pendingSend>>();
    scheduler.setProcessFunction(async (event) => {
      const body = String(event.getContent()["body"]);
      started.push(body);
      const send = pendingSend();
      sends.set(body, send);
      await send.done;
      return { event_id: `$${body}` };
    });
    const named = (body: string, relatesTo?: Record<string, unknown>) => {
      const event = message("!a:cpts.test", relatesTo);
      event.getContent()["body"] = body;
      event.setStatus(EventStatus.SENDING);
      return event;
    };
    const mail1 = scheduler.queueEvent(named("mail 1"));
    const mail2 = scheduler.queueEvent(named("mail 2"));
    const file = scheduler.queueEvent(named("file of mail 0", { rel_type: "m.thread", event_id: "$mail0" }));
    await new Promise((r) => setTimeout(r, 10));
    expect(started).toEqual(["mail 1", "file of mail 0"]);
    sends.get("file of mail 0")!.finish();
    await file;
    sends.get("mail 1")!.finish();
    await mail1;
    await new Promise((r) => setTimeout(r, 10));
    expect(started).toEqual(["mail 1", "file of mail 0", "mail 2"]);
    sends.get("mail 2")!.finish();
    await mail2;
  });
});
