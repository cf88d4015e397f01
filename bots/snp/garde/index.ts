// The on-call rota ("garde") of the SNP bot: the `!garde` command, the store, and the
// endpoint a telephone system asks whom to forward a call to (docs/garde-telephone.md).
import type { Router } from "express";
import type { BaseContext, CommandSpec } from "../../core/commands/command.ts";
import type { Clock } from "../../core/clock.ts";
import type { Db } from "../../core/store/database.ts";
import type { Directory } from "../../directory/directory-port.ts";
import { gardeCommand } from "./garde-command.ts";
import { gardeRoutes, type GardeHttpLogger } from "./garde-http.ts";
import { DirectoryGardePeople } from "./garde-people.ts";
import { GardeRota } from "./garde-rota.ts";

export { GardeRota } from "./garde-rota.ts";
export { FALLBACK_NUMBER, MIN_TOKEN_LENGTH, type GardeNowBody } from "./garde-http.ts";
export { type OnDutyPerson } from "./garde-people.ts";
export { MAX_SHIFT_HOURS, nextShiftAfter, onDutyAt, overlapping, parseShiftDeclaration, type Shift, type ShiftDraft, type ShiftId } from "./shifts.ts";

export interface GardeOptions {
  readonly db: Db;
  readonly clock: Clock;
  /** Who the people on duty are (names, professions, practice phones), and who is a member. */
  readonly directory: Pick<Directory, "memberOf" | "practicePhones" | "isVerified">;
  /** Who may add and remove shifts (the SNP bot's `coordinators`). */
  readonly coordinators: readonly string[];
  /**
   * Content of the secret file of `GET /garde/now`: one bearer token per line (two during a
   * rotation). Without it the endpoint is not served; a token under 32 characters throws.
   */
  readonly apiToken?: string | undefined;
  readonly logger: GardeHttpLogger;
}

export interface Garde {
  readonly rota: GardeRota;
  readonly command: CommandSpec<BaseContext>;
  /** For the bot's `httpRoutes`; undefined without an API token. */
  readonly routes: Router | undefined;
  /** Who is on duty at that instant, whatever their practice hours (for the SNP cascade). */
  readonly onDutyAt: (at: number) => ReadonlySet<string>;
}

export function createGarde(options: GardeOptions): Garde {
  const { db, clock } = options;
  const rota = new GardeRota(db, clock);
  const { directory } = options;
  const people = new DirectoryGardePeople(directory);
  return {
    rota,
    command: gardeCommand({ rota, people, clock, coordinators: options.coordinators, isMember: (userId) => directory.isVerified(userId) }),
    routes: options.apiToken === undefined ? undefined : gardeRoutes({ rota, people, clock, apiToken: options.apiToken, logger: options.logger }),
    onDutyAt: (at) => new Set(rota.onDutyAt(at).map((shift) => shift.userId)),
  };
}
