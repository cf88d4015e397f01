/**
 * What a bot must do, at each start, so that its device is cross-signed by a lasting
 * identity whose private keys are kept in secret storage under the bot's recovery key.
 *
 * One step at a time, always decided afresh from what the account and the crypto store
 * hold now: a start killed between two steps resumes where it stopped, and no sequence
 * of kills leaves published public keys whose private keys exist nowhere (the private
 * keys reach secret storage before the public keys reach the server).
 */
export interface IdentityFacts {
  /** The operator asked for a new identity (a documented, deliberate reset). */
  readonly resetRequested: boolean;
  /** The account's default secret-storage key: none, the one the bot's recovery key opens, or another. */
  readonly secretStorageKey: "none" | "ours" | "other";
  /** The three cross-signing private keys are stored in secret storage under the default key. */
  readonly keysInSecretStorage: boolean;
  /** A master key is published for the bot's account. */
  readonly published: boolean;
  /** The private keys this device holds: none, the published identity's, or others. */
  readonly localKeys: "none" | "match" | "mismatch";
  /** The bot's own device carries its identity's signature. */
  readonly deviceSigned: boolean;
}

export type IdentityStep =
  | "reset-identity"
  | "adopt-secret-storage"
  | "create-identity"
  | "restore-from-secret-storage"
  | "save-to-secret-storage"
  | "sign-device";

export type IdentityRefusal = "other-recovery-key" | "keys-lost" | "replaced-elsewhere";

export type IdentityDecision =
  | { readonly kind: "done" }
  | { readonly kind: "step"; readonly step: IdentityStep }
  | { readonly kind: "refuse"; readonly reason: IdentityRefusal };

export function nextIdentityStep(facts: IdentityFacts): IdentityDecision {
  if (facts.resetRequested) return step("reset-identity");
  if (facts.published && facts.localKeys === "mismatch") return refuse("replaced-elsewhere");
  if (facts.secretStorageKey === "other" && facts.keysInSecretStorage && facts.published) return refuse("other-recovery-key");
  if (facts.secretStorageKey !== "ours") return step("adopt-secret-storage");
  if (!facts.published) return step("create-identity");
  if (facts.localKeys === "none") return facts.keysInSecretStorage ? step("restore-from-secret-storage") : refuse("keys-lost");
  if (!facts.keysInSecretStorage) return step("save-to-secret-storage");
  if (!facts.deviceSigned) return step("sign-device");
  return { kind: "done" };
}

function step(name: IdentityStep): IdentityDecision {
  return { kind: "step", step: name };
}

function refuse(reason: IdentityRefusal): IdentityDecision {
  return { kind: "refuse", reason };
}
