import { Router } from "express";
import { z } from "zod";
import { parseBotOptions, type BotDefinition } from "../core/bot-runtime.ts";
import { readSecret } from "../core/config.ts";
import { filePath } from "../core/options-schema.ts";
import { CommunityRooms } from "./community-rooms.ts";
import { ConsoleOptionsSchema } from "./console/console-options.ts";
import { createConsole } from "./console/console-routes.ts";
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
    console: ConsoleOptionsSchema.prefault({}).describe("the coordinators' web console at /console/ (see bots/directory/console)"),
  })
  .strict();

/** The directory bot ("annuaire"): membership of the CPTS and its community rooms. */
export const directoryBot: BotDefinition = {
  id: "annuaire",
  optionsSchema: DirectoryOptionsSchema,
  name: M.botName,
  create(services, rawOptions) {
    const options = parseBotOptions(DirectoryOptionsSchema, rawOptions ?? {}, "annuaire", services.configDir);
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
    const coordinatorConsole = options.console.enabled
      ? createConsole({
          cptsName: cpts.name,
          coordinators: cpts.coordinators,
          importGuard: cpts.importGuard,
          options: options.console,
          homeserverUrl: () => services.matrix.getHomeserverUrl(),
          db: services.db,
          clock: services.clock,
          logger: services.logger,
          membership,
          flow,
          territory,
        })
      : undefined;
    const httpRoutes = Router();
    if (policyToken) httpRoutes.use(policyRoutes(new SqliteDirectory(services.db, services.clock, territory), policyToken));
    if (coordinatorConsole) httpRoutes.use(coordinatorConsole.router);
    const served = policyToken !== undefined || coordinatorConsole !== undefined;
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
        await coordinatorConsole?.stop();
      },
    };
  },
};
