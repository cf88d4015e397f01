import type { BotServices } from "../core/bot-runtime.ts";
import { CommandError, type BaseContext, type Reply } from "../core/commands/command.ts";
import { localize, type Lang, type Localized } from "../core/i18n/lang.ts";
import type { Reaction } from "../core/intake.ts";
import { professionRoomFor } from "./community-plan.ts";
import type { CommunityRooms } from "./community-rooms.ts";
import { decideInscription, decisionOf } from "./inscription.ts";
import { nameMatches, type Membership, type MembershipRequest } from "./membership.ts";
import { DIRECTORY_MESSAGES as M } from "./messages.ts";

export interface MembershipFlowOptions {
  readonly cptsName: string;
  readonly coordinators: readonly string[];
  readonly trustIdentityAccounts: boolean;
}

/**
 * Onboarding and removal of members, over Matrix: `!inscription`, the coordinators'
 * one-tap approval, invitations to the community rooms, `!membre retirer`.
 */
/** Who "decided" an approval that needed no coordinator (kept in the request's record). */
const AUTOMATIC_APPROVAL = "pro-sante-connect";

export class MembershipFlow {
  private readonly services: BotServices;
  private readonly membership: Membership;
  private readonly rooms: CommunityRooms;
  private readonly options: MembershipFlowOptions;
  private coordinationRoomId: string | undefined;

  constructor(services: BotServices, membership: Membership, rooms: CommunityRooms, options: MembershipFlowOptions) {
    this.services = services;
    this.membership = membership;
    this.rooms = rooms;
    this.options = options;
  }

  /** Makes the coordinators' room, and brings room memberships in line with the directory. */
  async start(): Promise<void> {
    for (const userId of this.options.coordinators) {
      if (this.membership.verifyCoordinator(userId)) this.services.logger.info({ userId }, "coordinator verified from the configuration");
    }
    this.coordinationRoomId = await this.rooms.ensureCoordinationRoom(this.options.coordinators);
    for (const { userId, verified } of this.membership.linkedAccounts()) {
      try {
        const member = verified ? this.membership.memberOf(userId) : undefined;
        if (member) await this.rooms.admit(userId, member.person.profession, member.person.specialty);
        else await this.rooms.remove(userId, localize(M.removalReason, this.services.defaultLanguage));
      } catch (err) {
        // One account that cannot be reconciled now must not keep the others out; next start retries.
        this.services.logger.error({ userId, err: (err as Error).message }, "could not reconcile a member's community rooms");
      }
    }
  }

  async requestMembership(ctx: BaseContext, input: string): Promise<Reply> {
    const outcome = decideInscription(input, {
      sender: ctx.sender,
      member: this.membership.memberOf(ctx.sender),
      pending: this.membership.pendingRequestOf(ctx.sender),
      lookUp: (rpps) => this.membership.findByRpps(rpps),
      linkedAccount: (nationalId) => this.membership.linkedAccount(nationalId),
      trustIdentityAccounts: this.options.trustIdentityAccounts,
    });
    switch (outcome.kind) {
      case "invalid-rpps":
        if (input.trim() === "") throw new CommandError("RPPS missing", M.rppsMissing);
        throw new CommandError("invalid RPPS format", M.rppsInvalid, { input: input.slice(0, 40) });
      case "unknown-rpps":
        throw new CommandError("RPPS not in the territory's directory", M.rppsUnknown, { rpps: outcome.rpps });
      case "rpps-taken":
        throw new CommandError("RPPS linked to another account", M.rppsTaken);
      case "already-pending":
        return text(M.alreadyPending, ctx.lang);
      case "already-member": {
        const { person } = outcome.member;
        return text(M.alreadyMember, ctx.lang, { name: `${person.firstName} ${person.lastName}`, profession: person.professionLabel });
      }
      case "auto-approve": {
        const request = this.membership.openRequest(ctx.sender, outcome.person.nationalId, true);
        await this.approve(request, AUTOMATIC_APPROVAL);
        return text(M.autoApproved, ctx.lang);
      }
      case "request": {
        const { person, rpps } = outcome;
        const displayName = this.services.matrix.getRoom(ctx.roomId)?.getMember(ctx.sender)?.name ?? ctx.sender;
        const matches = nameMatches(displayName, person);
        const request = this.membership.openRequest(ctx.sender, person.nationalId, matches);
        const lang = this.services.defaultLanguage;
        const notice = localize(M.coordinationRequest, lang, {
          userId: ctx.sender,
          displayName,
          rpps,
          name: `${person.firstName} ${person.lastName}`,
          profession: person.professionLabel,
          communes: person.communes.join(", ") || "—",
          nameCheck: localize(matches ? M.nameMatches : M.nameDiffers, lang),
        });
        const eventId = await this.services.messenger.notice(this.coordinationRoom(), { text: notice }, `membership-request:${request.id}`);
        this.membership.attachCoordinationEvent(request.id, eventId);
        return text(M.requestSent, ctx.lang, { rpps, name: `${person.firstName} ${person.lastName}`, profession: person.professionLabel });
      }
    }
  }

  async onReaction(reaction: Reaction): Promise<void> {
    if (reaction.roomId !== this.coordinationRoomId || !this.options.coordinators.includes(reaction.sender)) return;
    const decision = decisionOf(reaction.key);
    const request = this.membership.requestByCoordinationEvent(reaction.targetEventId);
    if (decision === "none" || !request) return;
    const lang = this.services.defaultLanguage;
    if (request.status !== "pending") {
      const status = localize(request.status === "approved" ? M.statusApproved : M.statusRefused, lang);
      await this.notify(text(M.alreadyDecided, lang, { status, by: request.decidedBy ?? "?" }), `decided:${reaction.eventId}`);
      return;
    }
    if (decision === "approve") await this.approve(request, reaction.sender);
    else await this.refuse(request, reaction.sender);
  }

  async removeMember(ctx: BaseContext, action: string, userId: string): Promise<Reply> {
    if (!this.options.coordinators.includes(ctx.sender)) throw new CommandError("member removal by a non-coordinator", M.coordinatorsOnly);
    if (action.toLowerCase() !== "retirer") throw new CommandError("unknown member action", M.memberActionUnknown, { action: action.slice(0, 40) });
    if (!this.membership.memberOf(userId)) throw new CommandError("removal of a non-member", M.notAMember, { userId: userId.slice(0, 100) });
    const left = await this.deactivate(userId);
    return text(M.memberRemoved, ctx.lang, { userId, count: left });
  }

  /**
   * The coordinators' console: the same steps as ✅ / ❌ in the coordination room (invitations
   * to the community rooms, welcome, notice in the coordination room).
   */
  async decideRequest(requestId: number, decision: "approve" | "refuse", by: string): Promise<{ outcome: "done" | "already-decided" | "unknown"; request?: MembershipRequest }> {
    const request = this.membership.requestById(requestId);
    if (!request) return { outcome: "unknown" };
    if (request.status !== "pending") return { outcome: "already-decided", request };
    if (decision === "approve") await this.approve(request, by);
    else await this.refuse(request, by);
    return { outcome: "done", request };
  }

  /** `!membre retirer` and the console: out of the verified members and the community rooms, told in a DM. Returns how many rooms were left. */
  async deactivate(userId: string): Promise<number> {
    this.membership.deactivate(userId);
    const left = await this.rooms.remove(userId, localize(M.removalReason, this.services.defaultLanguage));
    await this.services.messenger.direct(userId, text(M.removedDirect, this.languageOf(userId), { cpts: this.options.cptsName }));
    return left.length;
  }

  private async approve(request: MembershipRequest, by: string): Promise<void> {
    const approved = this.membership.approve(request.id, by);
    const member = this.membership.memberOf(approved.userId);
    if (!member) throw new Error(`approved request ${request.id} has no member`);
    await this.rooms.admit(member.userId, member.person.profession, member.person.specialty);
    const room = professionRoomFor(member.person.profession, member.person.specialty).name;
    await this.services.messenger.direct(member.userId, text(M.welcome, this.languageOf(member.userId), { cpts: this.options.cptsName, room }), `welcome:${request.id}`);
    const notice = by === AUTOMATIC_APPROVAL ? M.autoApprovedNotice : M.approvedNotice;
    await this.notify(text(notice, this.services.defaultLanguage, { userId: member.userId, by }), `approved:${request.id}`);
  }

  private async refuse(request: MembershipRequest, by: string): Promise<void> {
    this.membership.refuse(request.id, by);
    await this.services.messenger.direct(request.userId, text(M.refusedDirect, this.languageOf(request.userId), { cpts: this.options.cptsName }), `refused:${request.id}`);
    await this.notify(text(M.refusedNotice, this.services.defaultLanguage, { userId: request.userId, by }), `refused-notice:${request.id}`);
  }

  private notify(reply: Reply, idempotencyKey: string): Promise<string> {
    return this.services.messenger.notice(this.coordinationRoom(), reply, idempotencyKey);
  }

  private coordinationRoom(): string {
    if (!this.coordinationRoomId) throw new Error("the coordination room is not ready yet");
    return this.coordinationRoomId;
  }

  private languageOf(userId: string): Lang {
    return this.services.preferences.language(userId) ?? this.services.defaultLanguage;
  }
}

function text(message: Localized, lang: Lang, params?: Record<string, string | number>): Reply {
  return { text: localize(message, lang, params) };
}
