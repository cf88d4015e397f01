import type { BotDefinition } from "../core/bot-runtime.ts";
import { Router } from "express";
import { type MatrixEvent, type RoomMember, RoomMemberEvent } from "matrix-js-sdk";
import { readSecret } from "../core/config.ts";
import { roomMembershipRoutes } from "../core/http/room-membership-routes.ts";
import { syncedRoomMembership } from "../core/matrix/room-membership.ts";
import { MatrixNames } from "../core/matrix/display-name.ts";
import { localize } from "../core/i18n/lang.ts";
import { DIRECTORY_SCHEMA } from "../directory/migrations.ts";
import { SqliteDirectory } from "../directory/sqlite-directory.ts";
import { SNP_SCHEMA } from "./migrations.ts";
import { CandidateSource } from "./candidate-source.ts";
import { DirectChatOpener } from "./direct-chat-opener.ts";
import { SnpEffectsExecutor } from "./effects-executor.ts";
import { createGarde } from "./garde/index.ts";
import { SnpIntake } from "./intake-conversation.ts";
import { SNP_MESSAGES as M } from "./messages.ts";
import { snpCommands } from "./snp-commands.ts";
import { cascadeOf, lifecycleOf, SnpOptionsSchema, type SnpOptions } from "./snp-options.ts";
import { SnpRooms } from "./snp-rooms.ts";
import { SnpService } from "./snp-service.ts";
import { Availability } from "./store/availability.ts";
import { DirectChatWelcomes } from "./store/direct-chat-welcomes.ts";
import { RequestMetaStore } from "./store/request-meta.ts";
import { SnpStore } from "./store/snp-store.ts";

/** The SNP bot ("snp"): unscheduled-care requests dispatched to available members, first to accept wins. */
export const snpBot: BotDefinition<SnpOptions> = {
  id: "snp",
  optionsSchema: SnpOptionsSchema,
  schemas: [DIRECTORY_SCHEMA, SNP_SCHEMA],
  name: M.botName,
  create(services, options) {
    const { territory, coordinators } = services.cpts;
    const { db, clock, logger } = services;
    const store = new SnpStore(db, clock, lifecycleOf(options));
    const meta = new RequestMetaStore(db);
    const availability = new Availability(db, clock);
    const directory = new SqliteDirectory(db, clock, territory);
    const rooms = new SnpRooms(services.matrix, db, clock);
    const lang = services.defaultLanguage;
    const regulationRoom = (): Promise<string> =>
      rooms.ensureRegulationRoom(localize(M.regulationRoomName, lang), localize(M.regulationRoomTopic, lang), options.regulators);
    const garde = createGarde({
      db,
      clock,
      directory,
      coordinators,
      apiToken: options.gardeApiTokenFile === undefined ? undefined : readSecret(options.gardeApiTokenFile, "bots.snp.options.gardeApiTokenFile"),
      logger,
    });
    const matrixNames = new MatrixNames(services.matrix);
    const candidates = new CandidateSource({ directory, clock, territory, availability, store, onDutyAt: garde.onDutyAt, loadWindowDays: options.loadWindowDays, matrixName: (user) => matrixNames.nameOf(user) });
    const executor = new SnpEffectsExecutor({
      store,
      meta,
      messenger: services.messenger,
      rooms,
      jobs: services.jobs,
      clock,
      logger,
      languageOf: (user) => services.preferences.language(user) ?? lang,
      defaultLanguage: lang,
      nameOf: (user) => candidates.displayName(user),
      stillReachable: (user) => candidates.stillReachable(user),
      regulationRoom,
      concurrency: options.effectsConcurrency,
    });
    const directChats = new DirectChatOpener({
      chats: {
        directRoomIfOpen: (user) => services.messenger.directRoomIfOpen(user),
        directRoom: (user) => services.messenger.directRoom(user),
        notice: (roomId, reply, key) => services.messenger.notice(roomId, reply, key),
        membership: (roomId, user) => services.matrix.getRoom(roomId)?.getMember(user)?.membership,
      },
      welcomes: new DirectChatWelcomes(db, clock),
      candidates: () => candidates.candidates(),
      welcome: (user) => ({ text: localize(M.directChatWelcome, services.preferences.language(user) ?? lang, { cpts: services.cpts.name }) }),
      logger,
      sweepEveryMs: options.directChatSweep,
    });
    const onMembership = (_event: MatrixEvent, member: RoomMember): void => directChats.onMembership(member.roomId, member.userId, member.membership ?? "");
    const service = new SnpService({
      services,
      territory,
      store,
      meta,
      availability,
      candidates,
      executor,
      cascade: cascadeOf(options),
      regulators: options.regulators,
      coordinators,
      regulationRoomId: () => rooms.regulationRoomId(),
    });
    const intake = new SnpIntake(db, clock, territory, (ctx, spec) => service.submit(ctx, spec));
    const witnessToken = options.callsWitnessTokenFile && readSecret(options.callsWitnessTokenFile, "bots.snp.options.callsWitnessTokenFile");
    const httpRoutes = garde.routes || witnessToken ? Router() : undefined;
    if (httpRoutes && garde.routes) httpRoutes.use(garde.routes);
    if (httpRoutes && witnessToken) httpRoutes.use(roomMembershipRoutes(syncedRoomMembership(services.matrix), witnessToken));
    return {
      commands: [
        ...snpCommands({ service, intake, territory, availability, directory, now: () => clock.now(), onAvailable: () => directChats.requestSweep() }),
        garde.command,
      ],
      ...(httpRoutes ? { httpRoutes } : {}),
      jobHandlers: service.jobHandlers(),
      conversation: intake,
      onReaction: (reaction) => service.onReaction(reaction),
      onStart: async () => {
        await regulationRoom();
        // Effects left in the outbox by a stop (or a crash) are carried out now.
        await executor.drain();
        // In the background: a request arriving meanwhile reuses a chat being opened.
        services.matrix.on(RoomMemberEvent.Membership, onMembership);
        directChats.start();
      },
      onStop: async () => {
        services.matrix.off(RoomMemberEvent.Membership, onMembership);
        await directChats.stop();
        executor.stop();
      },
    };
  },
};
