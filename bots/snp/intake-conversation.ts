import type { BaseContext, Reply } from "../core/commands/command.ts";
import type { Clock } from "../core/clock.ts";
import type { Conversation } from "../core/event-handler.ts";
import { localize, type Localized } from "../core/i18n/lang.ts";
import type { Db } from "../core/store/database.ts";
import { foldName, type Territory } from "../directory/territory.ts";
import { renderProblems, type SnpDraft, type SnpRequestSpec, validateDraft } from "./domain/index.ts";
import { CANCEL_WORDS, INTAKE_STEPS } from "./intake-steps.ts";

/** A guided request left unanswered this long is over: a later answer is ordinary chat again. */
export const INTAKE_TIMEOUT_MS = 30 * 60_000;

const L = {
  intro: {
    fr: "Nouvelle demande de soin non programmé ({count} questions ; « annuler » pour arrêter). N'écrivez pas l'identité du patient ici.",
    en: "New unscheduled-care request ({count} questions; \"annuler\" to stop). Do not write the patient's identity here.",
  },
  cancelled: { fr: "Demande abandonnée ; rien n'a été envoyé.", en: "Request dropped; nothing was sent." },
  again: { fr: "{problem}\n{question}", en: "{problem}\n{question}" },
} as const satisfies Record<string, Localized>;

/** The guided `!snp`: where each person is in the questions, per room, kept in SQLite (a restart keeps the draft). */
export class SnpIntake implements Conversation {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly territory: Territory;
  private readonly submit: (ctx: BaseContext, spec: SnpRequestSpec) => Promise<Reply>;

  constructor(db: Db, clock: Clock, territory: Territory, submit: (ctx: BaseContext, spec: SnpRequestSpec) => Promise<Reply>) {
    this.db = db;
    this.clock = clock;
    this.territory = territory;
    this.submit = submit;
  }

  start(ctx: BaseContext): Reply {
    this.save(ctx.sender, ctx.roomId, 0, {});
    return { text: `${localize(L.intro, ctx.lang, { count: INTAKE_STEPS.length })}\n${localize(INTAKE_STEPS[0]!.question, ctx.lang)}` };
  }

  isOpen(userId: string, roomId: string): boolean {
    return this.session(userId, roomId) !== undefined;
  }

  async answer(ctx: BaseContext, text: string): Promise<Reply> {
    const session = this.session(ctx.sender, ctx.roomId);
    if (!session) return { text: "" };
    if (CANCEL_WORDS.has(foldName(text))) {
      this.close(ctx.sender, ctx.roomId);
      return { text: localize(L.cancelled, ctx.lang) };
    }
    const step = INTAKE_STEPS[session.step]!;
    const read = step.read(text, session.draft, this.territory);
    if ("problem" in read) {
      return { text: localize(L.again, ctx.lang, { problem: localize(read.problem, ctx.lang, read.params), question: localize(step.question, ctx.lang) }) };
    }
    const next = session.step + 1;
    if (next < INTAKE_STEPS.length) {
      this.save(ctx.sender, ctx.roomId, next, read.draft);
      return { text: localize(INTAKE_STEPS[next]!.question, ctx.lang) };
    }
    this.close(ctx.sender, ctx.roomId);
    const checked = validateDraft(read.draft, this.territory);
    if (!checked.ok) return { text: renderProblems(checked.problems, ctx.lang) };
    return this.submit(ctx, checked.request);
  }

  private session(userId: string, roomId: string): { step: number; draft: SnpDraft } | undefined {
    const row = this.db.prepare("SELECT step, draft, updated_at FROM snp_intake_sessions WHERE user_id = ? AND room_id = ?").get(userId, roomId) as
      | { step: number; draft: string; updated_at: number }
      | undefined;
    if (!row || this.clock.now() - row.updated_at > INTAKE_TIMEOUT_MS || row.step >= INTAKE_STEPS.length) return undefined;
    return { step: row.step, draft: JSON.parse(row.draft) as SnpDraft };
  }

  private save(userId: string, roomId: string, step: number, draft: SnpDraft): void {
    this.db
      .prepare(
        `INSERT INTO snp_intake_sessions (user_id, room_id, step, draft, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (user_id, room_id) DO UPDATE SET step = excluded.step, draft = excluded.draft, updated_at = excluded.updated_at`,
      )
      .run(userId, roomId, step, JSON.stringify(draft), this.clock.now());
  }

  private close(userId: string, roomId: string): void {
    this.db.prepare("DELETE FROM snp_intake_sessions WHERE user_id = ? AND room_id = ?").run(userId, roomId);
  }
}
