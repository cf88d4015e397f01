// What the directory offers the coordinators' tools (the web console, bots/console): read
// models of membership and of past imports, and the coordinators' actions (decide a request,
// remove a member, import a national extract). The console asks here, never the tables.
import type { Territory } from "../core/cpts.ts";
import type { Db } from "../core/store/database.ts";
import type { GuardSettings } from "./import/guard.ts";
import { importDirectory, type Progress } from "./import/import-directory.ts";
import type { ImportReport } from "./import/report.ts";
import { ImportHistory } from "./import-history.ts";
import { MemberQueries } from "./member-queries.ts";
import type { Membership } from "./membership.ts";
import type { MembershipFlow } from "./membership-flow.ts";
import { warmSearchCache } from "./search/rank.ts";

export interface DirectoryCoordination {
  readonly members: MemberQueries;
  readonly imports: ImportHistory;
  isVerified(userId: string): boolean;
  readonly flow: Pick<MembershipFlow, "decideRequest" | "deactivate">;
  /** Imports a national extract under the CPTS's import guard, then warms the search cache. */
  importExtract(paths: readonly string[], options: { readonly progressEvery: number; readonly onProgress: (progress: Progress) => void; readonly force: boolean }): Promise<ImportReport>;
}

export function directoryCoordination(deps: {
  readonly db: Db;
  readonly membership: Membership;
  readonly flow: Pick<MembershipFlow, "decideRequest" | "deactivate">;
  readonly territory: Territory;
  readonly importGuard: GuardSettings;
}): DirectoryCoordination {
  const { db, membership, territory } = deps;
  return {
    members: new MemberQueries(db, membership),
    imports: new ImportHistory(db),
    isVerified: (userId) => membership.isVerified(userId),
    flow: deps.flow,
    async importExtract(paths, { progressEvery, onProgress, force }) {
      const report = await importDirectory(db, paths, territory, { progressEvery, onProgress, guard: deps.importGuard, force });
      warmSearchCache(db);
      return report;
    },
  };
}
