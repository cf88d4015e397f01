// What SNP offers the coordinators' console (bots/console): the requests of a period for the
// ACI indicators, and the on-call rota with the people on it.
import type { Clock } from "../core/clock.ts";
import type { Db } from "../core/store/database.ts";
import type { Directory } from "../directory/directory-port.ts";
import { DirectoryGardePeople, type GardePeople } from "./garde/garde-people.ts";
import { GardeRota } from "./garde/garde-rota.ts";
import { SnpStore } from "./store/snp-store.ts";

export interface SnpCoordination {
  readonly requests: Pick<SnpStore, "createdBetween">;
  readonly rota: GardeRota;
  readonly people: GardePeople;
}

export function snpCoordination(db: Db, clock: Clock, directory: Pick<Directory, "memberOf" | "practicePhones">): SnpCoordination {
  return { requests: new SnpStore(db, clock), rota: new GardeRota(db, clock), people: new DirectoryGardePeople(directory) };
}
