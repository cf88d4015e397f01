import { createHash } from "node:crypto";

/** A Message-ID without its angle brackets, compared as written (RFC 5322 ids are case-sensitive). */
export type MessageId = string & { readonly __brand: "MessageId" };

const ID_IN_BRACKETS = /<([^<>\s]+)>/g;

/** The first id of a Message-ID / In-Reply-To field; undefined when it holds none. */
export function messageIdOf(field: string | undefined): MessageId | undefined {
  return messageIdsOf(field)[0];
}

/** Every id of a References / In-Reply-To field, in order, without duplicates. Accepts ids written without brackets. */
export function messageIdsOf(field: string | readonly string[] | undefined): MessageId[] {
  if (field === undefined) return [];
  const text = typeof field === "string" ? field : field.join(" ");
  const bracketed = [...text.matchAll(ID_IN_BRACKETS)].map((m) => m[1]!);
  const ids = bracketed.length > 0 ? bracketed : text.split(/\s+/).filter((word) => /^[^@\s]+@[^@\s]+$/.test(word));
  return [...new Set(ids)] as MessageId[];
}

export function bracketed(id: MessageId): string {
  return `<${id}>`;
}

/**
 * The Message-ID of the mail sent for a Matrix event: derived from the event, so a retry
 * after a crash sends the same id (the recipient sees one mail, a bounce finds its room).
 */
export function messageIdForEvent(eventId: string, domain: string): MessageId {
  const digest = createHash("sha256").update(eventId).digest("base64url").slice(0, 32).replace(/[-_]/g, "x");
  return `matrix.${digest}@${domain}` as MessageId;
}

/** The domain of an address (`cpts@cpts.mssante.fr` → `cpts.mssante.fr`). */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1).toLowerCase();
}
