import type { Clock } from "../../core/clock.ts";
import { Outbox } from "../../core/outbox/outbox.ts";
import type { Db } from "../../core/store/database.ts";

/** What an effect is about: its subject's kind and key ("referral", "AD-7K3F"). */
export type SubjectKind = "case" | "alert" | "referral" | "expertise";

export interface PendingEffect<E = unknown> {
  readonly id: number;
  readonly kind: SubjectKind;
  readonly key: string;
  readonly effect: E;
}

/** The outbox subject of a care subject: "referral:AD-7K3F". */
export const subjectOf = (kind: SubjectKind, key: string): string => `${kind}:${key}`;

export function splitSubject(subject: string): { kind: SubjectKind; key: string } {
  const split = subject.indexOf(":");
  return { kind: subject.slice(0, split) as SubjectKind, key: subject.slice(split + 1) };
}

/**
 * The effects of the care transitions, written in the transaction that changes the state and
 * carried out afterwards (see CareEffectsExecutor): a crash between the two loses nothing.
 */
export class CareOutbox {
  readonly table: Outbox;

  constructor(db: Db, clock: Clock) {
    this.table = new Outbox(db, clock, { table: "care_effects", subjectColumn: "subject" });
  }

  /** Call inside the transaction that made the effects. */
  enqueue(kind: SubjectKind, key: string, effects: readonly unknown[]): void {
    this.table.enqueue(subjectOf(kind, key), effects);
  }

  pending(limit: number): PendingEffect[] {
    return this.table.pending(limit).map(({ id, subject, effect }) => ({ id, ...splitSubject(subject), effect }));
  }

  countPending(): number {
    return this.table.countPending();
  }
}
