import ms from "ms";
import type { BaseContext, Reply } from "../core/commands/command.ts";
import type { Reaction } from "../core/intake.ts";
import type { JobHandler } from "../core/scheduler.ts";
import { type CareDeps, say } from "./care-context.ts";
import type { CaseLookup } from "./case-lookup.ts";
import { userId } from "./domain/ids.ts";
import { CASE_MESSAGES as M } from "./messages/case-messages.ts";

export const ALERT_JOB_KIND = "care-alert-reminder";
export interface AlertReminderPayload { readonly alertId: number; readonly reminder: number }

/** `!alerte`: the whole team told at once, urgent; the first reaction acknowledges; reminders while none does. */
export class AlertService {
  private readonly deps: CareDeps;
  private readonly lookup: CaseLookup;

  constructor(deps: CareDeps, lookup: CaseLookup) {
    this.deps = deps;
    this.lookup = lookup;
  }

  private get now(): number {
    return this.deps.services.clock.now();
  }

  async alert(ctx: BaseContext, message: string | undefined): Promise<Reply> {
    const found = this.lookup.caseOf(ctx, undefined, "alerte", { roomOnly: true });
    if ("reply" in found) return found.reply;
    const { record } = found;
    if (record.state.status !== "open") return say(ctx.lang, M.caseClosed, { code: record.state.code });
    const text = (message ?? "").trim();
    if (text === "") return say(ctx.lang, M.alertMissing);
    const { alert, created } = this.deps.cases.raiseAlert(record.state.code, userId(ctx.sender), ctx.eventId ?? `command:${ctx.correlationId}`, text);
    if (created) this.deps.services.logger.info({ caseCode: record.state.code, alertId: alert.id, correlationId: ctx.correlationId }, "care alert raised");
    await this.deps.drain();
    const team = (await this.deps.rooms.teamOf(record.roomId!)).filter((u) => u !== ctx.sender && u !== this.deps.services.userId);
    return say(ctx.lang, M.alertSent, { count: team.length, delay: ms(this.deps.options.alertReminderAfter) });
  }

  /** Any reaction of another team member on the alert acknowledges it. */
  async onReaction(reaction: Reaction): Promise<boolean> {
    const alert = this.deps.cases.alertByMessage(reaction.targetEventId);
    if (!alert) return false;
    this.deps.cases.applyAlert(alert.id, { type: "acknowledge", at: this.now, by: userId(reaction.sender) });
    await this.deps.drain();
    return true;
  }

  jobHandlers(): [string, JobHandler][] {
    return [
      [
        ALERT_JOB_KIND,
        async (job) => {
          const { alertId, reminder } = job.payload as AlertReminderPayload;
          if (!this.deps.cases.alert(alertId)) return;
          this.deps.cases.applyAlert(alertId, { type: "reminder-due", at: this.now, reminder });
          await this.deps.drain();
        },
      ],
    ];
  }
}
