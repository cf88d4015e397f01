import { describe, expect, it } from "vitest";
import { nextIdentityStep, type IdentityFacts } from "./identity-plan.ts";

const firstStart: IdentityFacts = {
  resetRequested: false,
  secretStorageKey: "none",
  keysInSecretStorage: false,
  published: false,
  localKeys: "none",
  deviceSigned: false,
};
const complete: IdentityFacts = { ...firstStart, secretStorageKey: "ours", keysInSecretStorage: true, published: true, localKeys: "match", deviceSigned: true };

/** Applies the steps as the adapter's SDK calls would, until done or refused. */
function run(facts: IdentityFacts): string[] {
  const taken: string[] = [];
  let current = facts;
  for (let i = 0; i < 10; i++) {
    const decision = nextIdentityStep(current);
    if (decision.kind === "done") return taken;
    if (decision.kind === "refuse") return [...taken, `refuse:${decision.reason}`];
    taken.push(decision.step);
    current = simulate(current, decision.step);
  }
  throw new Error("no end");
}

function simulate(f: IdentityFacts, step: string): IdentityFacts {
  switch (step) {
    case "reset-identity":
    case "create-identity":
      return { ...f, resetRequested: false, secretStorageKey: "ours", keysInSecretStorage: true, published: true, localKeys: "match", deviceSigned: true };
    case "adopt-secret-storage":
      return { ...f, secretStorageKey: "ours", keysInSecretStorage: f.localKeys === "match" };
    case "restore-from-secret-storage":
      return { ...f, localKeys: "match", deviceSigned: true };
    case "save-to-secret-storage":
      return { ...f, keysInSecretStorage: true };
    case "sign-device":
      return { ...f, deviceSigned: true };
    default:
      throw new Error(step);
  }
}

describe("the bot's cross-signing identity, step by step", () => {
  it("first start: secret storage under the recovery key first, then the identity", () => {
    expect(run(firstStart)).toEqual(["adopt-secret-storage", "create-identity"]);
  });

  it("a complete identity needs nothing", () => {
    expect(nextIdentityStep(complete)).toEqual({ kind: "done" });
  });

  it("a new device (crypto store lost) is signed by the identity restored from secret storage", () => {
    expect(run({ ...complete, localKeys: "none", deviceSigned: false })).toEqual(["restore-from-secret-storage"]);
  });

  it("killed after the keys were published but before the device signature: the device is signed", () => {
    expect(run({ ...complete, deviceSigned: false })).toEqual(["sign-device"]);
  });

  it("killed after the keys were made and stored but before they were published: made again", () => {
    expect(run({ ...firstStart, secretStorageKey: "ours", keysInSecretStorage: true, localKeys: "mismatch" })).toEqual(["create-identity"]);
  });

  it("keys held locally but missing from secret storage are saved there", () => {
    expect(run({ ...complete, keysInSecretStorage: false })).toEqual(["save-to-secret-storage"]);
  });

  it("refuses to replace an identity protected by another recovery key", () => {
    expect(run({ ...complete, secretStorageKey: "other", localKeys: "none", deviceSigned: false })).toEqual(["refuse:other-recovery-key"]);
  });

  it("refuses when the published identity's private keys are nowhere to be found", () => {
    expect(run({ ...firstStart, published: true })).toEqual(["adopt-secret-storage", "refuse:keys-lost"]);
  });

  it("refuses when the identity was replaced by someone else", () => {
    expect(run({ ...complete, localKeys: "mismatch" })).toEqual(["refuse:replaced-elsewhere"]);
  });

  it("a requested reset makes a new identity whatever is there", () => {
    expect(run({ ...complete, resetRequested: true, secretStorageKey: "other", localKeys: "mismatch" })).toEqual(["reset-identity"]);
  });

  it("takes over a secret storage that holds nothing of an identity", () => {
    expect(run({ ...firstStart, secretStorageKey: "other" })).toEqual(["adopt-secret-storage", "create-identity"]);
  });
});
