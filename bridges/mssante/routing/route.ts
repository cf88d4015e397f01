import type { MessageId } from "../mail/message-id.ts";

/** Where an earlier mail of the conversation sits in Matrix. */
export interface MailThread {
  readonly roomId: string;
  /** The thread's root event (the first mail of the conversation in that room). */
  readonly rootEventId: string;
  /** The event of that mail itself (the reply is shown as answering it). */
  readonly eventId: string;
}

/** What routing may look up; each answer only counts for rooms the bridge is in. */
export interface RoutingLookups {
  threadOf(messageId: MessageId): MailThread | undefined;
  caseRoomForPatient(patientId: string): string | undefined;
  caseRoomForTag(tag: string): string | undefined;
  /** The CPTS member whose MSSanté address this is (directory extract + linked account). */
  memberForAddress(address: string): string | undefined;
}

export interface RoutingFacts {
  /** In-Reply-To, then References from the most recent: the mails this one answers. */
  readonly answers: readonly MessageId[];
  readonly patientIds: readonly string[];
  readonly caseTags: readonly string[];
  /** To, Cc and envelope recipients, lower-case. */
  readonly recipients: readonly string[];
}

export type Route =
  | { readonly kind: "thread"; readonly thread: MailThread }
  | { readonly kind: "case-patient"; readonly roomId: string }
  | { readonly kind: "case-tag"; readonly roomId: string }
  | { readonly kind: "direct"; readonly userId: string }
  | { readonly kind: "triage" };

/**
 * Where a received mail goes, first match wins: the conversation it answers; the open case
 * room of its patient; the case named by a tag; the professional it is addressed to; else
 * the coordinators' triage room. There is always a route: nothing is dropped.
 */
export function routeMail(facts: RoutingFacts, lookups: RoutingLookups): Route {
  for (const id of facts.answers) {
    const thread = lookups.threadOf(id);
    if (thread) return { kind: "thread", thread };
  }
  for (const patientId of facts.patientIds) {
    const roomId = lookups.caseRoomForPatient(patientId);
    if (roomId) return { kind: "case-patient", roomId };
  }
  for (const tag of facts.caseTags) {
    const roomId = lookups.caseRoomForTag(tag);
    if (roomId) return { kind: "case-tag", roomId };
  }
  for (const address of facts.recipients) {
    const userId = lookups.memberForAddress(address);
    if (userId) return { kind: "direct", userId };
  }
  return { kind: "triage" };
}

/** In-Reply-To first, then References from the newest, without repeats. */
export function answeredIds(inReplyTo: readonly MessageId[], references: readonly MessageId[]): MessageId[] {
  return [...new Set([...inReplyTo, ...[...references].reverse()])];
}

const SUBJECT_TAG = /\[(?:cas|case|dossier)[\s:#-]*([A-Za-z0-9][A-Za-z0-9-]{1,39})\]/gi;

/** A case tag, compared upper-case: `cas-7f3k` and `CAS-7F3K` are one case. */
export function normaliseCaseTag(tag: string): string {
  return tag.trim().replace(/^(cas|case|dossier)[\s:#-]*/i, "").toUpperCase();
}

/**
 * Case tags of a mail: `[CAS 7F3K]` (or `[case:…]`, `[dossier …]`) in the subject, and the
 * sub-address of a recipient that is one of the bridge's mailboxes (`cpts+7f3k@…`).
 */
export function caseTagsOf(subject: string, recipients: readonly string[], mailboxes: readonly string[]): string[] {
  const tags = [...subject.matchAll(SUBJECT_TAG)].map((m) => normaliseCaseTag(m[1]!));
  const ours = new Set(mailboxes.map((m) => m.toLowerCase()));
  for (const recipient of recipients) {
    const match = /^([^+@]+)\+([^@]+)@(.+)$/.exec(recipient.toLowerCase());
    if (match && ours.has(`${match[1]}@${match[3]}`)) tags.push(normaliseCaseTag(match[2]!));
  }
  return [...new Set(tags.filter(Boolean))];
}
