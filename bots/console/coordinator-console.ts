// The coordinators' console as the annuaire bot serves it (bots/registry.ts plugs it in):
// its options, and the read models it is given by each module.
import { CareActivity } from "../care/care-activity.ts";
import type { CoordinatorConsolePlugin } from "../directory/directory-bot.ts";
import { CARE_SCHEMA } from "../care/migrations.ts";
import { SNP_SCHEMA } from "../snp/migrations.ts";
import { snpCoordination } from "../snp/read-model.ts";
import { ConsoleOptionsSchema, type ConsoleOptions } from "./console-options.ts";
import { createConsole } from "./console-routes.ts";

export const coordinatorConsole: CoordinatorConsolePlugin<ConsoleOptions> = {
  optionsSchema: ConsoleOptionsSchema.prefault({}),
  schemas: [SNP_SCHEMA, CARE_SCHEMA],
  serve(options, { services, directory, coordination }) {
    if (!options.enabled) return undefined;
    const { cpts, db, clock } = services;
    return createConsole({
      cptsName: cpts.name,
      coordinators: cpts.coordinators,
      options,
      homeserverUrl: () => services.matrix.getHomeserverUrl(),
      clock,
      logger: services.logger,
      directory: coordination,
      snp: snpCoordination(db, clock, directory),
      care: new CareActivity(db),
    });
  },
};
