import type { BaseContext, Reply } from "../core/commands/command.ts";
import { type Lang, localize } from "../core/i18n/lang.ts";
import type { JobHandler } from "../core/scheduler.ts";
import { codeFor, type CareDeps, roomLink, say, YES_WORDS } from "./care-context.ts";
import type { CaseLookup } from "./case-lookup.ts";
import { caseLabel, checkTheme, inviteRefusal, type CaseRefusal } from "./domain/care-case.ts";
import type { PersonRef } from "./domain/command-args.ts";
import { findIdentifyingPatterns } from "./domain/identifying-text.ts";
import { caseCode, userId, type CaseCode, type UserId } from "./domain/ids.ts";
import { formatBirthDate, formatIns, formatPhone, parsePatientCard, type CardProblem } from "./domain/patient-card.ts";
import { parisDay, shortDate } from "../core/time/paris-time.ts";
import { readPosted } from "./matrix/forwarding.ts";
import { CASE_MESSAGES as M } from "./messages/case-messages.ts";
import type { CaseRecord } from "./store/case-store.ts";
import type { Prompt } from "./store/prompts.ts";

export const RETENTION_JOB_KIND = "care-case-retention-end";
export interface RetentionEndPayload { readonly caseCode: CaseCode }

const CARD_PROBLEMS: Readonly<Record<CardProblem, keyof typeof M>> = {
  "name-missing": "cardNameMissing",
  "birth-date-missing": "cardBirthDateMissing",
  "birth-date-invalid": "cardBirthDateInvalid",
  "ins-key-invalid": "cardInsInvalid",
};

const THEME_PROBLEMS = { "too-short": M.themeTooShort, "too-long": M.themeTooLong, "no-letters": M.themeNoLetters } as const;

export function roomNameOf(code: CaseCode, theme: string, lang: Lang): string {
  return localize(M.roomName, lang, { label: caseLabel(code, theme) });
}

/**
 * Patient cases: opening one (guided or in one line), its fiche de liaison, closure and
 * reopening, and each member's list. Changes go through CaseStore (state and effects in one
 * transaction); the effects executor does the Matrix work.
 */
export class CaseService {
  private readonly deps: CareDeps;
  private readonly lookup: CaseLookup;
  /** One card sharing at a time per room: two people joining together get one new copy. */
  private readonly cardSharing = new Map<string, Promise<void>>();

  constructor(deps: CareDeps, lookup: CaseLookup) {
    this.deps = deps;
    this.lookup = lookup;
  }

  private get now(): number {
    return this.deps.services.clock.now();
  }

  private get botUserId(): UserId {
    return userId(this.deps.services.userId);
  }

  // --- opening a case -----------------------------------------------------------------------

  startGuided(ctx: BaseContext): Reply {
    this.deps.prompts.open(ctx.sender, ctx.roomId, { kind: "theme" });
    return say(ctx.lang, M.askTheme);
  }

  /**
   * Opens the case and its room with the members named. A theme that looks like it names
   * someone is confirmed first. The case code derives from the message, so the same message
   * handled again after a crash finds its case instead of opening a second one.
   */
  async create(ctx: BaseContext, themeInput: string, people: readonly PersonRef[] | readonly string[], confirmed: boolean): Promise<Reply> {
    const replayed = ctx.eventId === undefined ? undefined : this.deps.cases.byOpeningEvent(ctx.eventId);
    if (replayed) return this.created(ctx, replayed, [], []);
    const checked = checkTheme(themeInput);
    if (!checked.ok) return say(ctx.lang, THEME_PROBLEMS[checked.problem]);
    const resolved = people.map((p) => (typeof p === "string" ? ({ userId: p as UserId } as const) : this.lookup.resolve(p, ctx.lang)));
    const refused = resolved.flatMap((r) => ("refusal" in r ? [r.refusal] : []));
    const members: UserId[] = [];
    for (const r of resolved) {
      if (!("userId" in r) || members.includes(r.userId)) continue;
      const refusal = inviteRefusal({ caseStatus: "open", inviterIsManager: true, inviter: userId(ctx.sender), target: r.userId, botUserId: this.botUserId, targetStatus: this.deps.people.statusOf(r.userId), targetMembership: undefined });
      if (refusal === undefined) members.push(r.userId);
      else if (refusal !== "self") refused.push(this.lookup.inviteRefusalText(refusal, r.userId, undefined, ctx.lang));
    }
    if (!confirmed) {
      const findings = findIdentifyingPatterns(checked.theme);
      if (findings.length > 0) {
        this.deps.prompts.open(ctx.sender, ctx.roomId, { kind: "confirm-theme", theme: checked.theme, members });
        return say(ctx.lang, M.themeLooksIdentifying, { found: findings.map((f) => f.text).join(" », « "), theme: checked.theme });
      }
    }
    const code = caseCode(codeFor("case", ctx.eventId, (c) => this.deps.cases.get(caseCode(c)) !== undefined));
    const eventId = ctx.eventId ?? `command:${ctx.correlationId}`;
    this.deps.cases.open({ code, theme: checked.theme, createdBy: userId(ctx.sender), members }, eventId, () => this.deps.prompts.close(ctx.sender, ctx.roomId));
    this.deps.services.logger.info({ caseCode: code, members: members.length, correlationId: ctx.correlationId }, "care case opened");
    await this.deps.drain();
    const record = this.deps.cases.get(code)!;
    if (record.roomId) for (const member of members) await this.deps.people.learnName(record.roomId, member);
    return this.created(ctx, record, members, refused);
  }

  /** A plain answer to "what is the care theme?" or to "keep this theme?". */
  async answerTheme(ctx: BaseContext, text: string, prompt: Extract<Prompt, { kind: "theme" | "confirm-theme" }>): Promise<Reply> {
    const yes = prompt.kind === "confirm-theme" && YES_WORDS.has(text.trim().toLowerCase());
    if (yes) return this.create(ctx, prompt.theme, prompt.members, true);
    return this.create(ctx, text, prompt.kind === "confirm-theme" ? prompt.members : [], false);
  }

  private created(ctx: BaseContext, record: CaseRecord, members: readonly UserId[], refused: readonly string[]): Reply {
    const label = caseLabel(record.state.code, record.state.theme);
    if (!record.roomId) return say(ctx.lang, M.caseCreationPending, { label });
    return say(ctx.lang, M.caseCreated, {
      label,
      name: roomNameOf(record.state.code, record.state.theme, this.deps.services.defaultLanguage),
      link: roomLink(record.roomId),
      invited: members.length > 0 ? localize(M.caseCreatedInvited, ctx.lang, { names: members.map((m) => this.deps.people.describe(m)).join(", ") }) : "",
      refused: refused.length > 0 ? localize(M.caseCreatedRefused, ctx.lang, { refusals: refused.join(" ; ") }) : "",
    });
  }

  // --- the fiche de liaison ----------------------------------------------------------------

  /** The creator's message with the patient's identity: posted back as the card, pinned. Nothing of it is stored. */
  async writeCard(ctx: BaseContext, text: string, code: CaseCode): Promise<Reply> {
    const parsed = parsePatientCard(text, parisDay(this.now));
    if (!parsed.ok) return say(ctx.lang, M.cardProblems, { problems: parsed.problems.map((p) => localize(M[CARD_PROBLEMS[p]], ctx.lang)).join(" ; ") });
    const lang = this.deps.services.defaultLanguage;
    const card = say(lang, M.card, {
      code,
      name: parsed.card.name,
      birthDate: formatBirthDate(parsed.card.birthDate),
      ins: parsed.card.ins ? formatIns(parsed.card.ins) : localize(M.cardInsUnknown, lang),
      phone: parsed.card.phone ? localize(M.cardPhone, lang, { phone: formatPhone(parsed.card.phone) }) : "",
      author: this.deps.people.nameOf(ctx.sender),
      date: shortDate(this.now),
    });
    const eventId = await this.deps.services.messenger.notice(ctx.roomId, card, `care-card:${ctx.eventId ?? ctx.correlationId}`);
    await this.deps.rooms.pin(ctx.roomId, eventId);
    this.deps.prompts.close(ctx.sender, ctx.roomId);
    this.deps.services.logger.info({ caseCode: code, correlationId: ctx.correlationId }, "patient card pinned");
    return say(ctx.lang, M.cardPinned);
  }

  /**
   * Someone joined a case room after the fiche was posted: their devices never received its
   * keys (and history before their invitation is hidden from them). The bot reads its card
   * back, posts it again, encrypted for the room as it is now, and pins the new copy in place
   * of the old. A card posted after the join is already theirs: nothing to do, which also makes
   * a join seen twice (restart, sync replay) harmless.
   */
  async shareCard(roomId: string, join: { readonly userId: string; readonly eventId: string; readonly at: number }): Promise<void> {
    const previous = this.cardSharing.get(roomId) ?? Promise.resolve();
    const next = previous.then(() => this.shareCardNow(roomId, join));
    this.cardSharing.set(roomId, next.catch(() => undefined));
    return next;
  }

  private async shareCardNow(roomId: string, join: { readonly userId: string; readonly eventId: string; readonly at: number }): Promise<void> {
    const card = await this.currentCard(roomId);
    if (!card || card.at >= join.at) return;
    const eventId = await this.deps.services.messenger.notice(roomId, { text: card.body }, `care-card-share:${join.eventId}`);
    await this.deps.rooms.replacePin(roomId, card.eventId, eventId);
    this.deps.services.logger.info({ roomId, eventId }, "patient card posted again for a new member");
  }

  /** The fiche: the bot pins nothing else, so the first pinned message of the bot's. */
  private async currentCard(roomId: string): Promise<{ eventId: string; at: number; body: string } | undefined> {
    for (const eventId of await this.deps.rooms.pinned(roomId)) {
      const posted = await readPosted(this.deps.services.matrix, roomId, eventId).catch(() => undefined);
      if (posted?.kind === "text" && posted.sender === this.botUserId) return { eventId, at: posted.at, body: posted.body };
    }
    return undefined;
  }

  askCardAgain(ctx: BaseContext): Reply {
    const found = this.lookup.caseOf(ctx, undefined, "fiche");
    if ("reply" in found) return found.reply;
    const { record } = found;
    if (!this.deps.cases.isManager(record.state.code, ctx.sender)) return this.lookup.managersOnly(ctx.lang, record.state.code);
    this.deps.prompts.open(ctx.sender, ctx.roomId, { kind: "card", caseCode: record.state.code });
    return say(ctx.lang, M.askCard, { name: this.deps.people.nameOf(ctx.sender) });
  }

  // --- closure ------------------------------------------------------------------------------

  async close(ctx: BaseContext, codeArg: string | undefined): Promise<Reply> {
    return this.closeOrReopen(ctx, codeArg, "close");
  }

  async reopen(ctx: BaseContext, codeArg: string | undefined): Promise<Reply> {
    return this.closeOrReopen(ctx, codeArg, "reopen");
  }

  private async closeOrReopen(ctx: BaseContext, codeArg: string | undefined, type: "close" | "reopen"): Promise<Reply> {
    const found = this.lookup.caseOf(ctx, codeArg, type === "close" ? "clore" : "rouvrir");
    if ("reply" in found) return found.reply;
    const { code } = found.record.state;
    const isManager = this.deps.cases.isManager(code, ctx.sender);
    const transition = this.deps.cases.apply(code, { type, at: this.now, by: userId(ctx.sender), isManager });
    if (transition.refusal) return this.caseRefusal(ctx, found.record, transition.refusal);
    this.deps.services.logger.info({ caseCode: code, correlationId: ctx.correlationId }, type === "close" ? "care case closed" : "care case reopened");
    await this.deps.drain();
    return say(ctx.lang, type === "close" ? M.closedAck : M.reopenedAck, { code });
  }

  private caseRefusal(ctx: BaseContext, record: CaseRecord, refusal: CaseRefusal): Reply {
    const code = record.state.code;
    switch (refusal) {
      case "not-manager":
        return this.lookup.managersOnly(ctx.lang, code);
      case "not-open":
        return say(ctx.lang, M.alreadyClosed, { code });
      case "not-closed":
        return say(ctx.lang, M.notClosed, { code });
      case "retention-over":
        return say(ctx.lang, M.retentionOver, { code });
    }
  }

  // --- lists --------------------------------------------------------------------------------

  async myCases(ctx: BaseContext): Promise<Reply> {
    const lines: string[] = [];
    const retentionMs = this.deps.options.retentionDays * 86_400_000;
    for (const record of this.deps.cases.casesOf(ctx.sender)) {
      if (!record.roomId) continue;
      const membership = await this.deps.rooms.membership(record.roomId, ctx.sender);
      if (membership !== "join" && membership !== "invite") continue;
      const { state } = record;
      const status =
        state.status === "open" ? localize(M.myCaseOpen, ctx.lang) : localize(M.myCaseClosed, ctx.lang, { date: shortDate(state.closedAt ?? 0), until: shortDate((state.closedAt ?? 0) + retentionMs) });
      const role = [membership === "invite" ? localize(M.myCaseInvited, ctx.lang) : "", this.deps.cases.isManager(state.code, ctx.sender) ? localize(M.myCaseManager, ctx.lang) : ""].join("");
      lines.push(`• ${localize(M.myCaseLine, ctx.lang, { label: caseLabel(state.code, state.theme), status, opened: shortDate(state.createdAt), role, link: roomLink(record.roomId) })}`);
    }
    if (lines.length === 0) return say(ctx.lang, M.myCasesEmpty);
    return { text: [localize(M.myCasesHeader, ctx.lang), ...lines].join("\n") };
  }

  jobHandlers(): [string, JobHandler][] {
    return [
      [
        RETENTION_JOB_KIND,
        async (job) => {
          const { caseCode: code } = job.payload as RetentionEndPayload;
          if (!this.deps.cases.get(code)) return;
          this.deps.cases.apply(code, { type: "retention-end", at: this.now });
          await this.deps.drain();
        },
      ],
    ];
  }
}
