import type { BaseContext, Reply } from "../core/commands/command.ts";
import { type Lang, localize } from "../core/i18n/lang.ts";
import { type CareDeps, say } from "./care-context.ts";
import type { InviteRefusal } from "./domain/care-case.ts";
import { personRefOf, type PersonRef } from "./domain/command-args.ts";
import { caseCode, normaliseCode, type CaseCode, type UserId } from "./domain/ids.ts";
import { CASE_MESSAGES as M } from "./messages/case-messages.ts";
import type { CaseRecord } from "./store/case-store.ts";

/** What the case commands share: which case a command is about, who a person named is, how refusals read. */
export class CaseLookup {
  private readonly deps: CareDeps;

  constructor(deps: CareDeps) {
    this.deps = deps;
  }

  /** The case a command is about: the room it is typed in, or the code given. */
  caseOf(ctx: BaseContext, codeArg: string | undefined, command: string, opts: { roomOnly?: boolean } = {}): { record: CaseRecord } | { reply: Reply } {
    if (codeArg !== undefined && !opts.roomOnly) {
      const code = normaliseCode("case", codeArg);
      const record = code ? this.deps.cases.get(caseCode(code)) : undefined;
      if (!record) return { reply: say(ctx.lang, M.unknownCase, { code: codeArg }) };
      if (!this.deps.cases.member(record.state.code, ctx.sender)) return { reply: say(ctx.lang, M.notInTeam, { code: record.state.code }) };
      return { record };
    }
    const record = this.deps.cases.byRoom(ctx.roomId);
    if (!record) return { reply: say(ctx.lang, M.notInCaseRoom, { command }) };
    return { record };
  }

  managersOnly(lang: Lang, code: CaseCode): Reply {
    const managers = this.deps.cases.members(code).filter((m) => m.role === "manager").map((m) => this.deps.people.nameOf(m.userId));
    return say(lang, M.managersOnly, { code, managers: managers.join(", ") });
  }

  /** An account or RPPS named in a command, as the account it designates, or why it cannot be one. */
  resolve(ref: PersonRef, lang: Lang): { userId: UserId } | { refusal: string } {
    if (ref.kind === "user") return { userId: ref.userId };
    const found = this.deps.people.byRpps(ref.rpps);
    if (found.name === undefined) return { refusal: localize(M.rppsUnknown, lang, { rpps: ref.rpps }) };
    if (found.userId === undefined) return { refusal: localize(M.rppsNoAccount, lang, { name: found.name, rpps: ref.rpps }) };
    return { userId: found.userId };
  }

  /** One account or RPPS typed as a command's argument. */
  personArg(arg: string, lang: Lang): { userId: UserId } | { reply: Reply } {
    const ref = personRefOf(arg);
    if (!ref) return { reply: say(lang, M.personInvalid, { input: arg }) };
    const resolved = this.resolve(ref, lang);
    return "refusal" in resolved ? { reply: { text: resolved.refusal } } : resolved;
  }

  inviteRefusalText(refusal: InviteRefusal, target: UserId, code: CaseCode | undefined, lang: Lang): string {
    if (refusal === "not-manager" && code) return this.managersOnly(lang, code).text;
    const params = { name: this.deps.people.nameOf(target), code: code ?? "" };
    const text = {
      "case-closed": M.caseClosed,
      "not-manager": M.managersOnly,
      self: M.refusedSelf,
      bot: M.refusedBot,
      "not-member": M.refusedNotMember,
      deactivated: M.refusedDeactivated,
      "already-in-team": M.refusedAlreadyIn,
      "already-invited": M.refusedAlreadyInvited,
    }[refusal];
    return localize(text, lang, params);
  }
}
