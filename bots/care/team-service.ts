import type { BaseContext, Reply } from "../core/commands/command.ts";
import { localize } from "../core/i18n/lang.ts";
import { type CareDeps, say } from "./care-context.ts";
import type { CaseLookup } from "./case-lookup.ts";
import { caseLabel, inviteRefusal, removalRefusal } from "./domain/care-case.ts";
import { readInviteArgs } from "./domain/command-args.ts";
import { userId, type CaseCode, type UserId } from "./domain/ids.ts";
import { CASE_MESSAGES as M } from "./messages/case-messages.ts";
import type { PersonView } from "./people.ts";
import type { CaseRecord } from "./store/case-store.ts";

const CHOICES_SHOWN = 10;

/** "Sophie Bernard (Infirmier, Douai)". */
function describeView(view: PersonView): string {
  const details = [view.profession, view.commune].filter((d): d is string => d !== undefined);
  return details.length > 0 ? `${view.name} (${details.join(", ")})` : view.name;
}

/** The numbers answered to a choice, or undefined when the answer is not numbers in range. */
export function chosenNumbers(text: string, max: number): number[] | undefined {
  const numbers = text.split(/[\s,;]+|\bet\b/).filter((w) => w !== "").map(Number);
  if (numbers.length === 0 || numbers.some((n) => !Number.isInteger(n) || n < 1 || n > max)) return undefined;
  return [...new Set(numbers)];
}

/**
 * A case's team: invitations (by directory search, name, RPPS or account; only verified
 * members, never twice), removals (never the last manager) and naming managers.
 */
export class TeamService {
  private readonly deps: CareDeps;
  private readonly lookup: CaseLookup;

  constructor(deps: CareDeps, lookup: CaseLookup) {
    this.deps = deps;
    this.lookup = lookup;
  }

  private get botUserId(): UserId {
    return userId(this.deps.services.userId);
  }

  async invite(ctx: BaseContext, args: readonly string[]): Promise<Reply> {
    const found = this.lookup.caseOf(ctx, undefined, "inviter");
    if ("reply" in found) return found.reply;
    const read = readInviteArgs(args);
    if (!read.ok) return say(ctx.lang, read.problem === "empty" ? M.inviteEmpty : M.inviteMixed);
    const lines: string[] = [];
    for (const target of read.targets) {
      if (target.kind !== "search") {
        const resolved = this.lookup.resolve(target, ctx.lang);
        lines.push("refusal" in resolved ? resolved.refusal : await this.inviteOne(ctx, found.record, resolved.userId));
        continue;
      }
      const search = this.deps.people.search(target.text, ctx.sender);
      if (!search.ok) return say(ctx.lang, search.error === "empty" ? M.searchEmpty : M.searchTooLong);
      const candidates = search.members.filter((m) => m.userId !== ctx.sender && m.userId !== this.botUserId);
      if (candidates.length === 0) {
        const others = search.notOnMessaging > 0 ? localize(M.searchOthers, ctx.lang, { count: search.notOnMessaging }) : "";
        return say(ctx.lang, M.searchNobody, { query: target.text, others });
      }
      if (candidates.length === 1) {
        lines.push(await this.inviteOne(ctx, found.record, candidates[0]!.userId));
        continue;
      }
      return this.offerChoice(ctx, target.text, candidates, { action: "invite", caseCode: found.record.state.code });
    }
    return { text: lines.join("\n") };
  }

  /** Several people matched a search: the person answers with numbers. */
  offerChoice(ctx: BaseContext, query: string, candidates: readonly PersonView[], action: { action: "invite" | "refer"; caseCode?: string; reason?: string }): Reply {
    const shown = candidates.slice(0, CHOICES_SHOWN);
    this.deps.prompts.open(ctx.sender, ctx.roomId, { kind: "choose", ...action, choices: shown.map((c) => ({ userId: c.userId, name: describeView(c) })) });
    return say(ctx.lang, M.chooseOne, { query, list: shown.map((c, i) => `${i + 1}. ${describeView(c)}`).join("\n") });
  }

  async inviteChosen(ctx: BaseContext, users: readonly UserId[], code: CaseCode): Promise<Reply> {
    const record = this.deps.cases.get(code);
    if (!record) return say(ctx.lang, M.unknownCase, { code });
    const lines: string[] = [];
    for (const user of users) lines.push(await this.inviteOne(ctx, record, user));
    return { text: lines.join("\n") };
  }

  private async inviteOne(ctx: BaseContext, record: CaseRecord, target: UserId): Promise<string> {
    const { code } = record.state;
    if (!record.roomId) return localize(M.caseCreationPending, ctx.lang, { label: caseLabel(code, record.state.theme) });
    const refusal = inviteRefusal({
      caseStatus: record.state.status,
      inviterIsManager: this.deps.cases.isManager(code, ctx.sender),
      inviter: userId(ctx.sender),
      target,
      botUserId: this.botUserId,
      targetStatus: this.deps.people.statusOf(target),
      targetMembership: await this.deps.rooms.membership(record.roomId, target),
    });
    if (refusal) return this.lookup.inviteRefusalText(refusal, target, code, ctx.lang);
    await this.deps.rooms.invite(record.roomId, target);
    this.deps.cases.addMember(code, target, "member", userId(ctx.sender));
    this.deps.services.logger.info({ caseCode: code, correlationId: ctx.correlationId }, "care team member invited");
    await this.deps.people.learnName(record.roomId, target);
    return localize(M.invited, ctx.lang, { name: this.deps.people.describe(target), code });
  }

  async remove(ctx: BaseContext, arg: string): Promise<Reply> {
    const found = this.lookup.caseOf(ctx, undefined, "retirer");
    if ("reply" in found) return found.reply;
    const { record } = found;
    const target = this.lookup.personArg(arg, ctx.lang);
    if ("reply" in target) return target.reply;
    const roomId = record.roomId!;
    const managers = await this.managersStillThere(record);
    const refusal = removalRefusal({
      caseStatus: record.state.status,
      actorIsManager: this.deps.cases.isManager(record.state.code, ctx.sender),
      target: target.userId,
      botUserId: this.botUserId,
      targetMembership: await this.deps.rooms.membership(roomId, target.userId),
      managers,
    });
    const params = { name: this.deps.people.nameOf(target.userId), code: record.state.code };
    switch (refusal) {
      case "case-closed":
        return say(ctx.lang, M.caseClosed, params);
      case "not-manager":
        return this.lookup.managersOnly(ctx.lang, record.state.code);
      case "bot":
        return say(ctx.lang, M.removeBot);
      case "not-in-team":
        return say(ctx.lang, M.removeNotInTeam, params);
      case "last-manager":
        return say(ctx.lang, M.removeLastManager, params);
      case undefined:
        break;
    }
    if (managers.includes(target.userId)) await this.deps.rooms.setManager(roomId, target.userId, false);
    await this.deps.rooms.remove(roomId, target.userId, localize(M.removed, this.deps.services.defaultLanguage, params));
    this.deps.cases.markRemoved(record.state.code, target.userId);
    return say(ctx.lang, M.removed, params);
  }

  async promote(ctx: BaseContext, arg: string): Promise<Reply> {
    const found = this.lookup.caseOf(ctx, undefined, "gestionnaire");
    if ("reply" in found) return found.reply;
    const { record } = found;
    if (record.state.status !== "open") return say(ctx.lang, M.caseClosed, { code: record.state.code });
    if (!this.deps.cases.isManager(record.state.code, ctx.sender)) return this.lookup.managersOnly(ctx.lang, record.state.code);
    const target = this.lookup.personArg(arg, ctx.lang);
    if ("reply" in target) return target.reply;
    const params = { name: this.deps.people.nameOf(target.userId), code: record.state.code };
    if (this.deps.cases.isManager(record.state.code, target.userId)) return say(ctx.lang, M.managerAlready, params);
    const membership = await this.deps.rooms.membership(record.roomId!, target.userId);
    if (membership !== "join" && membership !== "invite") return say(ctx.lang, M.managerNotInTeam, params);
    await this.deps.rooms.setManager(record.roomId!, target.userId, true);
    this.deps.cases.addMember(record.state.code, target.userId, "manager", userId(ctx.sender));
    return say(ctx.lang, M.managerNamed, params);
  }

  /** The managers the store knows who are still in the room (someone who left no longer counts). */
  private async managersStillThere(record: CaseRecord): Promise<UserId[]> {
    const managers = this.deps.cases.members(record.state.code).filter((m) => m.role === "manager").map((m) => m.userId);
    const present: UserId[] = [];
    for (const m of managers) {
      const membership = await this.deps.rooms.membership(record.roomId!, m);
      if (membership === "join" || membership === "invite") present.push(m);
    }
    return present;
  }
}
