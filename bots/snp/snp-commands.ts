import type { BaseContext, CommandSpec, Reply } from "../core/commands/command.ts";
import { localize } from "../core/i18n/lang.ts";
import type { Directory } from "../directory/directory-port.ts";
import { foldName, type Territory } from "../directory/territory.ts";
import { parseSnpArgs, renderProblems } from "./domain/index.ts";
import type { SnpIntake } from "./intake-conversation.ts";
import { SNP_MESSAGES as M } from "./messages.ts";
import type { SnpService } from "./snp-service.ts";
import { parsePeriod } from "../core/time/period.ts";
import type { Availability } from "./store/availability.ts";

const PERIOD_HELP = {
  fr: "Période : rien (4 dernières semaines), semaine, mois, annee, 30j, ou deux dates (2026-11-01 2026-11-30).",
  en: "Period: nothing (last 4 weeks), semaine (week), mois (month), annee (year), 30j (30 days), or two dates (2026-11-01 2026-11-30).",
};

type Action = (ctx: BaseContext, rest: readonly string[]) => Promise<Reply> | Reply;

export interface SnpCommandDeps {
  readonly service: SnpService;
  readonly intake: SnpIntake;
  readonly territory: Territory;
  readonly availability: Availability;
  /** Whether a member put themselves in the SNP pool (their directory card). */
  readonly directory: Pick<Directory, "profileOf">;
  readonly now: () => number;
  /** Someone said `!dispo on`: their direct chat is opened ahead of requests if they are in the pool. */
  readonly onAvailable?: (userId: string) => void;
}

/** `!snp` (guided, one line, or an action on a request) and `!dispo`. */
export function snpCommands(deps: SnpCommandDeps): CommandSpec[] {
  const { service } = deps;
  const withCode = (action: string, run: (ctx: BaseContext, code: string, rest: readonly string[]) => Reply | Promise<Reply>): Action => (ctx, rest) =>
    rest[0] === undefined ? { text: localize(M.codeMissing, ctx.lang, { action }) } : run(ctx, rest[0], rest.slice(1));
  const coordinatorOnly = (run: Action): Action => (ctx, rest) => (service.isCoordinator(ctx.sender) ? run(ctx, rest) : { text: localize(M.coordinatorsOnly, ctx.lang) });
  const withPeriod = (run: (ctx: BaseContext, period: NonNullable<ReturnType<typeof parsePeriod>>) => Reply | Promise<Reply>): Action => (ctx, rest) => {
    const period = parsePeriod(rest, deps.now());
    return period ? run(ctx, period) : { text: localize(PERIOD_HELP, ctx.lang) };
  };
  const actions = new Map<string, Action>([
    ["fait", withCode("fait", (ctx, code) => service.close(ctx, code, { done: true }))],
    ["done", withCode("fait", (ctx, code) => service.close(ctx, code, { done: true }))],
    [
      "pas fait",
      withCode("pas-fait", (ctx, code, rest) =>
        rest.length === 0 ? { text: localize(M.reasonMissing, ctx.lang) } : service.close(ctx, code, { done: false, reason: rest.join(" ") }),
      ),
    ],
    ["accepte", withCode("accepte", (ctx, code, rest) => service.respond(ctx, code, { accept: true, ...(rest[0] ? { modeWord: rest.join(" ") } : {}) }))],
    ["accept", withCode("accepte", (ctx, code, rest) => service.respond(ctx, code, { accept: true, ...(rest[0] ? { modeWord: rest.join(" ") } : {}) }))],
    ["refuse", withCode("refuse", (ctx, code) => service.respond(ctx, code, { accept: false }))],
    ["decline", withCode("refuse", (ctx, code) => service.respond(ctx, code, { accept: false }))],
    ["annule", withCode("annule", (ctx, code, rest) => service.cancel(ctx, code, rest.join(" ") || undefined))],
    ["cancel", withCode("annule", (ctx, code, rest) => service.cancel(ctx, code, rest.join(" ") || undefined))],
    ["rappel", withCode("rappel", (ctx, code) => service.claim(ctx, code))],
    ["clos", withCode("clos", (ctx, code, rest) => service.closeCallback(ctx, code, rest.join(" ")))],
    ["liste", (ctx) => service.list(ctx)],
    ["list", (ctx) => service.list(ctx)],
    ["stats", coordinatorOnly(withPeriod((ctx, period) => service.stats(ctx, period)))],
    ["export", coordinatorOnly(withPeriod((ctx, period) => service.export(ctx, period)))],
  ]);

  const snp: CommandSpec = {
    name: "snp",
    summary: M.snpSummary,
    params: [{ name: "demande", description: M.snpParam, optional: true, rest: true }],
    examples: ["!snp", '!snp IDE Douai 6h domicile "pansement 10 j, 2 passages/jour" 70+ sans-MT', "!snp fait SNP-4F7K", "!snp stats mois"],
    async execute(ctx, _args, argList = []) {
      const action = argList[0] === undefined ? undefined : actions.get(foldName(argList[0]));
      if (action) return action(ctx, argList.slice(1));
      if (!service.mayRequest(ctx)) return { text: localize(M.notAllowedToRequest, ctx.lang) };
      if (argList.length === 0) return deps.intake.start(ctx);
      const parsed = parseSnpArgs(argList, deps.territory);
      if (!parsed.ok) return { text: `${localize(M.problemsIntro, ctx.lang)}\n${renderProblems(parsed.problems, ctx.lang)}\n${localize(M.oneLineHelp, ctx.lang)}` };
      return service.submit(ctx, parsed.request);
    },
  };

  const dispo: CommandSpec = {
    name: "dispo",
    englishName: "available",
    summary: M.dispoSummary,
    params: [{ name: "etat", description: M.dispoParam, optional: true }],
    examples: ["!dispo off", "!dispo on"],
    execute(ctx, args) {
      const word = args["etat"] === undefined ? undefined : foldName(args["etat"]);
      if (word === undefined) {
        if (!deps.availability.isAvailable(ctx.sender)) return { text: localize(M.dispoStatusOff, ctx.lang) };
        const inPool = deps.directory.profileOf(ctx.sender).snp === true;
        return { text: localize(M.dispoStatusOn, ctx.lang, { pool: inPool ? "" : localize(M.dispoNotInPool, ctx.lang) }) };
      }
      const on = ["on", "oui", "yes", "1"].includes(word);
      const off = ["off", "non", "no", "0"].includes(word);
      if (!on && !off) return { text: localize(M.dispoInvalid, ctx.lang) };
      deps.availability.set(ctx.sender, on);
      if (on) deps.onAvailable?.(ctx.sender);
      return { text: localize(on ? M.dispoOn : M.dispoOff, ctx.lang) };
    },
  };
  return [snp, dispo];
}
