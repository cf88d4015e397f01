import { describe, expect, it } from "vitest";
import { replyTransactionId } from "./reply-sender.ts";

describe("replyTransactionId", () => {
  it("is the same for the same command, so a resent reply is deduplicated by the homeserver", () => {
    expect(replyTransactionId("accueil", "$abc")).toBe(replyTransactionId("accueil", "$abc"));
  });

  it("differs between commands and between bots", () => {
    const ids = new Set([replyTransactionId("accueil", "$abc"), replyTransactionId("accueil", "$abd"), replyTransactionId("snp", "$abc")]);
    expect(ids.size).toBe(3);
  });
});
