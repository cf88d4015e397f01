import type { BaseContext, Reply } from "../core/commands/command.ts";
import type { Conversation } from "../core/event-handler.ts";
import { CANCEL_WORDS, type CareDeps, say } from "./care-context.ts";
import type { CaseService } from "./case-service.ts";
import { caseCode, referralCode, type UserId } from "./domain/ids.ts";
import { CASE_MESSAGES as M } from "./messages/case-messages.ts";
import type { ReferralService } from "./referral-service.ts";
import { chosenNumbers, type TeamService } from "./team-service.ts";

/**
 * The plain answers to the care bot's questions: the theme of a new case (and its
 * confirmation), the fiche de liaison, a choice among people a search found, the reason for
 * declining a referral. One open question per person and room, kept in SQLite.
 */
export class CareConversation implements Conversation {
  private readonly deps: CareDeps;
  private readonly cases: CaseService;
  private readonly team: TeamService;
  private readonly referrals: ReferralService;

  constructor(deps: CareDeps, cases: CaseService, team: TeamService, referrals: ReferralService) {
    this.deps = deps;
    this.cases = cases;
    this.team = team;
    this.referrals = referrals;
  }

  isOpen(userId: string, roomId: string): boolean {
    return this.deps.prompts.get(userId, roomId) !== undefined;
  }

  async answer(ctx: BaseContext, text: string): Promise<Reply> {
    const prompt = this.deps.prompts.get(ctx.sender, ctx.roomId);
    if (!prompt) return { text: "" };
    if (CANCEL_WORDS.has(text.trim().toLowerCase())) {
      this.deps.prompts.close(ctx.sender, ctx.roomId);
      return say(ctx.lang, M.cancelled);
    }
    switch (prompt.kind) {
      case "theme":
      case "confirm-theme":
        return this.cases.answerTheme(ctx, text, prompt);
      case "card":
        return this.cases.writeCard(ctx, text, caseCode(prompt.caseCode));
      case "decline-reason":
        return this.referrals.declineWithReason(ctx, referralCode(prompt.referralCode), text);
      case "choose": {
        const numbers = chosenNumbers(text, prompt.choices.length);
        if (!numbers) return say(ctx.lang, M.chooseInvalid, { max: prompt.choices.length });
        this.deps.prompts.close(ctx.sender, ctx.roomId);
        const users = numbers.map((n) => prompt.choices[n - 1]!.userId as UserId);
        if (prompt.action === "invite") return this.team.inviteChosen(ctx, users, caseCode(prompt.caseCode ?? ""));
        const replies: string[] = [];
        for (const user of users) replies.push((await this.referrals.send(ctx, user, prompt.reason ?? "", prompt.caseCode ? caseCode(prompt.caseCode) : undefined)).text);
        return { text: replies.join("\n") };
      }
    }
  }
}

