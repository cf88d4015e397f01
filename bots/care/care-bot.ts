import type { BotDefinition } from "../core/bot-runtime.ts";
import { readSecret } from "../core/config.ts";
import { roomMembershipRoutes } from "../core/http/room-membership-routes.ts";
import { syncedRoomMembership } from "../core/matrix/room-membership.ts";
import type { CareDeps } from "./care-context.ts";
import { careCommands } from "./care-commands.ts";
import { CareConversation } from "./care-conversation.ts";
import { CareOptionsSchema, retentionMsOf, type CareOptions } from "./care-options.ts";
import { AlertService } from "./alert-service.ts";
import { CaseLookup } from "./case-lookup.ts";
import { CaseService } from "./case-service.ts";
import { userId, type ReferralCode } from "./domain/ids.ts";
import { alertRunner, caseRunner } from "./effects/case-effects.ts";
import { CareEffectsExecutor, type EffectRunner } from "./effects/effects-executor.ts";
import { expertiseRunner } from "./effects/expertise-effects.ts";
import { referralRunner } from "./effects/referral-effects.ts";
import { ExpertiseService } from "./expertise-service.ts";
import { CareRooms } from "./matrix/care-rooms.ts";
import { lastReadReceipt, watchCallMemberships, watchMemberships, watchReadReceipts, type MembershipChange, type ReadReceipt } from "./matrix/watchers.ts";
import { CASE_MESSAGES } from "./messages/case-messages.ts";
import { CarePeople } from "./people.ts";
import { DIRECTORY_SCHEMA } from "../directory/migrations.ts";
import { SqliteDirectory } from "../directory/sqlite-directory.ts";
import { CARE_SCHEMA } from "./migrations.ts";
import { RcpService } from "./rcp-service.ts";
import { ReferralService } from "./referral-service.ts";
import { TeamService } from "./team-service.ts";
import { CaseStore } from "./store/case-store.ts";
import { ExpertiseStore } from "./store/expertise-store.ts";
import { CareOutbox, type SubjectKind } from "./store/outbox.ts";
import { Prompts } from "./store/prompts.ts";
import { RcpStore } from "./store/rcp-store.ts";
import { ReferralStore } from "./store/referral-store.ts";

/** The care-teams bot ("equipes"): patient case rooms, referrals (adressage) and téléexpertise. */
export const careBot: BotDefinition<CareOptions> = {
  id: "equipes",
  optionsSchema: CareOptionsSchema,
  schemas: [DIRECTORY_SCHEMA, CARE_SCHEMA],
  name: CASE_MESSAGES.botName,
  create(services, options) {
    const { territory } = services.cpts;
    const { db, clock, logger } = services;
    const outbox = new CareOutbox(db, clock);
    let executor: CareEffectsExecutor | undefined;
    const deps: CareDeps = {
      services,
      options,
      territory,
      people: new CarePeople(new SqliteDirectory(db, clock, territory), territory, services.matrix, services.messenger),
      rooms: new CareRooms(services.matrix),
      prompts: new Prompts(db, clock),
      cases: new CaseStore(db, clock, outbox, { retentionMs: retentionMsOf(options), alert: { reminderAfterMs: options.alertReminderAfter, maxReminders: options.alertMaxReminders } }),
      referrals: new ReferralStore(db, clock, outbox, options.referralReminderAfter),
      expertise: new ExpertiseStore(db, clock, outbox, options.expertiseWaveTimeout),
      drain: () => executor?.drain() ?? Promise.resolve(),
    };
    executor = new CareEffectsExecutor(
      outbox,
      new Map<SubjectKind, EffectRunner>([
        ["case", caseRunner(deps)],
        ["alert", alertRunner(deps)],
        ["referral", referralRunner(deps)],
        ["expertise", expertiseRunner(deps)],
      ]),
      logger,
      options.effectsConcurrency,
    );
    const lookup = new CaseLookup(deps);
    const cases = new CaseService(deps, lookup);
    const team = new TeamService(deps, lookup);
    const alerts = new AlertService(deps, lookup);
    const referrals = new ReferralService(deps, lookup, team);
    const expertise = new ExpertiseService(deps);
    const rcp = new RcpService(deps, lookup, new RcpStore(db, clock));
    const conversation = new CareConversation(deps, cases, team, referrals);

    /** A target who read their direct chat after a referral arrived has seen it. */
    const onRead = async (receipt: ReadReceipt): Promise<void> => {
      for (const record of deps.referrals.unseen(receipt.userId)) {
        const { state, notification } = record;
        if (notification?.roomId === receipt.roomId && state.target === receipt.userId && receipt.ts >= state.createdAt) await referrals.markSeen(state.code as ReferralCode);
      }
    };
    /** Invitations made in Element by a manager, people who leave: the team list follows the room. */
    const onMembership = (change: MembershipChange): void => {
      if (change.userId === services.userId) return;
      const record = deps.cases.byRoom(change.roomId);
      if (!record) return;
      if (change.membership === "invite" || change.membership === "join") {
        if (!deps.cases.member(record.state.code, change.userId)) deps.cases.addMember(record.state.code, userId(change.userId), "member", userId(change.by));
      }
      if (change.membership === "join" && record.roomId) {
        cases.shareCard(record.roomId, change).catch((err: unknown) => logger.error({ caseCode: record.state.code, err: (err as Error).message }, "could not share the patient card with a new member"));
      } else if (change.membership === "leave" || change.membership === "ban") {
        deps.cases.markRemoved(record.state.code, userId(change.userId));
      }
    };
    const unwatch: (() => void)[] = [];

    return {
      commands: careCommands(deps, { cases, team, alerts, referrals, expertise, rcp }),
      conversation,
      jobHandlers: new Map([...cases.jobHandlers(), ...alerts.jobHandlers(), ...referrals.jobHandlers(), ...expertise.jobHandlers(), ...rcp.jobHandlers()]),
      onReaction: async (reaction) => {
        if (await alerts.onReaction(reaction)) return;
        if (await referrals.onReaction(reaction)) return;
        await expertise.onReaction(reaction);
      },
      onMessage: async (event) => {
        expertise.onMessage(event);
      },
      ...(options.callsWitnessTokenFile
        ? { httpRoutes: roomMembershipRoutes(syncedRoomMembership(services.matrix), readSecret(options.callsWitnessTokenFile, "bots.equipes.options.callsWitnessTokenFile")) }
        : {}),
      onStart: async () => {
        unwatch.push(
          watchReadReceipts(services.matrix, logger, onRead),
          watchMemberships(services.matrix, logger, onMembership),
          watchCallMemberships(services.matrix, logger, (event) => rcp.onCallMembership(event)),
        );
        deps.prompts.purgeExpired();
        // Receipts that arrived while the bot was stopped.
        for (const record of deps.referrals.unseen()) {
          const receipt = record.notification && lastReadReceipt(services.matrix, record.notification.roomId, record.state.target);
          if (receipt) await onRead(receipt);
        }
        // Effects left in the outbox by a stop (or a crash) are carried out now.
        await deps.drain();
      },
      onStop: async () => {
        for (const stop of unwatch) stop();
        executor.stop();
      },
    };
  },
};
