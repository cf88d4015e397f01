// Verified members as the test Synapse's policy module sees them (test/helpers/policy-directory.ts).
import { inject } from "vitest";
import { systemClock } from "../../bots/core/clock.ts";
import { openDatabase } from "../../bots/database.ts";
import { VerifiedMembers } from "../../bots/core/store/verified-members.ts";
import type {} from "./provided.ts";

/** Marks accounts verified members of the CPTS for the policy module, as the annuaire would. */
export function markVerifiedMember(...userIds: readonly string[]): void {
  const db = openDatabase(inject("policyDirectory").sharedDatabase);
  try {
    const members = new VerifiedMembers(db, systemClock);
    for (const userId of userIds) members.markVerified(userId, "@coordination:test");
  } finally {
    db.close();
  }
}
