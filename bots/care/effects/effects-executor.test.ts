import { describe, expect, it } from "vitest";
import { createLogger } from "../../core/logger.ts";
import { openDatabase } from "../../database.ts";
import { CareOutbox, type SubjectKind } from "../store/outbox.ts";
import { MAX_EFFECT_ATTEMPTS } from "../../core/outbox/effects-executor.ts";
import { CareEffectsExecutor, type EffectRunner } from "./effects-executor.ts";

const logger = createLogger("test", "silent");

function setup(runner: EffectRunner) {
  const db = openDatabase(":memory:");
  const outbox = new CareOutbox(db, { now: () => 0 });
  const executor = new CareEffectsExecutor(outbox, new Map<SubjectKind, EffectRunner>([["referral", runner], ["case", runner]]), logger);
  return { outbox, executor };
}

describe("care effects executor", () => {
  it("carries out effects in order with a key per effect, holds back a failing subject, lets the others through", async () => {
    const seen: string[] = [];
    let failOnce = true;
    const { outbox, executor } = setup(async (subject, effect, key) => {
      const name = (effect as { name: string }).name;
      if (name === "b1" && failOnce) {
        failOnce = false;
        throw new Error("homeserver down");
      }
      seen.push(`${subject}/${name}/${key()}`);
    });
    outbox.enqueue("referral", "AD-AAAA", [{ name: "a1" }, { name: "a2" }]);
    outbox.enqueue("case", "C-BBBB", [{ name: "b1" }, { name: "b2" }]);
    await executor.drain();
    expect(seen).toEqual(["AD-AAAA/a1/care-effect:1", "AD-AAAA/a2/care-effect:2"]);
    expect(outbox.countPending()).toBe(2);
    await executor.drain();
    expect(seen.slice(2)).toEqual(["C-BBBB/b1/care-effect:3", "C-BBBB/b2/care-effect:4"]);
    expect(outbox.countPending()).toBe(0);
    executor.stop();
  });

  it("runs the effects that effects make in the same drain", async () => {
    const seen: string[] = [];
    const { outbox, executor } = setup(async (subject, effect) => {
      seen.push(`${subject}/${(effect as { name: string }).name}`);
      if (subject === "AD-AAAA") outbox.enqueue("case", "C-NEW1", [{ name: "create" }]);
    });
    outbox.enqueue("referral", "AD-AAAA", [{ name: "accept" }]);
    await executor.drain();
    expect(seen).toEqual(["AD-AAAA/accept", "C-NEW1/create"]);
    executor.stop();
  });

  it("sets an effect aside after repeated failures, without stopping the others", async () => {
    const { outbox, executor } = setup(async (_subject, effect) => {
      if ((effect as { name: string }).name === "broken") throw new Error("always");
    });
    outbox.enqueue("referral", "AD-AAAA", [{ name: "broken" }]);
    for (let i = 0; i < MAX_EFFECT_ATTEMPTS; i++) await executor.drain();
    expect(outbox.countPending()).toBe(0);
    executor.stop();
  });
});
