import { Router } from "express";
import { z } from "zod";
import type { BotDefinition, BotServices } from "../core/bot-runtime.ts";
import type { ModuleSchema } from "../core/store/migrations.ts";
import { readSecret } from "../core/config.ts";
import { filePath } from "../core/options-schema.ts";
import { CommunityRooms } from "./community-rooms.ts";
import { directoryCoordination, type DirectoryCoordination } from "./coordination.ts";
import type { Directory } from "./directory-port.ts";
import { DIRECTORY_SCHEMA } from "./migrations.ts";
import { Membership } from "./membership.ts";
import { MembershipFlow } from "./membership-flow.ts";
import { DIRECTORY_MESSAGES as M } from "./messages.ts";
import { policyRoutes } from "./policy-http.ts";
import { ProfileFlow } from "./profile/profile-flow.ts";
import { GuideSessions, Profiles } from "./profile/profile-store.ts";
import { DirectorySearchCommand } from "./search-command.ts";
import { SqliteDirectory } from "./sqlite-directory.ts";
import { ensureSearchIndex, setProfileSearchText } from "./search/search-index.ts";
import { warmSearchCache } from "./search/rank.ts";

export const DirectoryOptionsSchema = z
  .object({
    trustIdentityAccounts: z
      .boolean()
      .default(true)
      .describe("approve without a coordinator an account named ps + its national identifier (ps8 + RPPS), as Pro Santé Connect signs in to"),
    policyApiTokenFile: filePath("file holding the token Synapse's policy module (cpts_policy) sends to ask GET /policy/members/<user>; without it the endpoint is not served").optional(),
  })
  .strict();

export type DirectoryOptions = z.output<typeof DirectoryOptionsSchema>;

/** A web tool for the coordinators, served on the directory bot's HTTP port. */
export interface CoordinatorWebTool {
  /** Mounted at the root, beside /healthz. */
  readonly router: Router;
  /** Before the database closes (e.g. waits for a directory import still running). */
  stop(): Promise<void>;
}

/**
 * The coordinators' console (bots/console), plugged in by the composition root
 * (bots/registry.ts) so the directory never imports it: its options sit under
 * `bots.annuaire.options.console`, and it is given the directory's coordination surface.
 */
export interface CoordinatorConsolePlugin<O> {
  readonly optionsSchema: z.ZodType<O>;
  /** The modules whose tables it reads besides the directory's. */
  readonly schemas: readonly ModuleSchema[];
  /** Undefined when the options turn it off. */
  serve(options: O, context: { readonly services: BotServices; readonly directory: Directory; readonly coordination: DirectoryCoordination }): CoordinatorWebTool | undefined;
}

/** The directory bot ("annuaire"): membership of the CPTS and its community rooms; with the coordinators' console when given one. */
export function defineDirectoryBot<O>(coordinatorConsole?: CoordinatorConsolePlugin<O>): BotDefinition<DirectoryOptions & { readonly console?: O }> {
  const optionsSchema: z.ZodType<DirectoryOptions & { readonly console?: O }> = coordinatorConsole
    ? DirectoryOptionsSchema.extend({ console: coordinatorConsole.optionsSchema.describe("the coordinators' web console at /console/ (see bots/console)") })
    : DirectoryOptionsSchema;
  return {
    id: "annuaire",
    optionsSchema,
    schemas: [DIRECTORY_SCHEMA, ...(coordinatorConsole?.schemas ?? [])],
    name: M.botName,
    create(services, options) {
      const { cpts } = services;
      const membership = new Membership(services.db, services.clock);
      const flow = new MembershipFlow(services, membership, new CommunityRooms(services.matrix, services.db, services.clock, cpts.name), {
        cptsName: cpts.name,
        coordinators: cpts.coordinators,
        trustIdentityAccounts: options.trustIdentityAccounts,
      });
      const territory = cpts.territory;
      const profile = new ProfileFlow(membership, new Profiles(services.db, services.clock), new GuideSessions(services.db, services.clock), (member, card) =>
        setProfileSearchText(services.db, member.person.nationalId, card, services.clock.now()),
      );
      const search = new DirectorySearchCommand(services.db, services.clock, territory, membership);
      const policyToken = options.policyApiTokenFile && readSecret(options.policyApiTokenFile, "bots.annuaire.options.policyApiTokenFile");
      const directory = new SqliteDirectory(services.db, services.clock, territory);
      const webTool =
        coordinatorConsole && options.console !== undefined
          ? coordinatorConsole.serve(options.console, {
              services,
              directory,
              coordination: directoryCoordination({ db: services.db, membership, flow, territory, importGuard: cpts.importGuard }),
            })
          : undefined;
      const httpRoutes = Router();
      if (policyToken) httpRoutes.use(policyRoutes(directory, policyToken));
      if (webTool) httpRoutes.use(webTool.router);
      const served = policyToken !== undefined || webTool !== undefined;
      return {
        commands: [
          {
            name: "inscription",
            englishName: "register",
            aliases: ["inscrire", "register"],
            summary: M.inscriptionSummary,
            params: [{ name: "rpps", description: M.rppsParam, optional: true, rest: true }],
            examples: ["!inscription 10001234567"],
            execute: (ctx, args) => flow.requestMembership(ctx, args["rpps"] ?? ""),
          },
          {
            name: "membre",
            englishName: "member",
            aliases: ["member"],
            summary: M.memberSummary,
            params: [
              { name: "action", description: M.memberActionParam },
              { name: "compte", description: M.memberUserParam },
            ],
            examples: ["!membre retirer @dr.dupont:cpts.example.fr"],
            execute: (ctx, args) => flow.removeMember(ctx, args["action"] ?? "", args["compte"] ?? ""),
          },
          profile.command(),
          search.command(),
        ],
        conversation: profile,
        ...(served ? { httpRoutes } : {}),
        onReaction: (reaction) => flow.onReaction(reaction),
        onStart: async () => {
          ensureSearchIndex(services.db);
          warmSearchCache(services.db);
          await flow.start();
        },
        onStop: async () => {
          await webTool?.stop();
        },
      };
    },
  };
}
