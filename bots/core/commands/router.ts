import { CORE_MESSAGES as M } from "../i18n/core-messages.ts";
import { foldText, localize, type Lang, type Localized } from "../i18n/lang.ts";
import { CommandError, type BaseContext, type CommandSpec, type Reply } from "./command.ts";
import { commandHelp, helpList, usageLine, type ShownName } from "./help.ts";
import { parseCommand } from "./parse.ts";
import { fill, joinInlines, render, type Block, type Inline } from "./render.ts";
import { suggest, type Candidate } from "./suggest.ts";
import { validateSpecs } from "./validate.ts";

export interface RouterLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export type RouteOutcome =
  | { kind: "ignored" }
  | { kind: "replied"; reply: Reply; command: string | null; status: "ok" | "user-error" | "internal-error" };

type Replied = Extract<RouteOutcome, { kind: "replied" }>;
type Spec<Ctx extends BaseContext> = CommandSpec<Ctx>;

const HELP_FLAGS = new Set(["--help", "-h", "--aide"]);
/** Echoing a 64 KB "command name" back would be useless and noisy. */
const ECHO_MAX = 40;

function echo(typed: string): string {
  return typed.length > ECHO_MAX ? `${typed.slice(0, ECHO_MAX)}…` : typed;
}

function withEnglishAlias<S extends CommandSpec<never>>(spec: S): S {
  const { englishName, aliases = [] } = spec;
  return englishName && !aliases.includes(englishName) ? { ...spec, aliases: [...aliases, englishName] } : spec;
}

function helpWord(lang: Lang): string {
  return lang === "en" ? "help" : "aide";
}

function replied(reply: Reply, command: string | null, status: Replied["status"]): Replied {
  return { kind: "replied", reply, command, status };
}

export function createRouter<Ctx extends BaseContext>(
  commands: readonly CommandSpec<Ctx>[],
  opts: { botName: Localized; logger: RouterLogger },
): { route(body: string, ctx: Ctx): Promise<RouteOutcome>; commands: readonly CommandSpec<Ctx>[] } {
  const { botName, logger } = opts;
  const helpSpec: Spec<Ctx> = {
    name: "aide",
    aliases: ["help"],
    summary: M.helpSummary,
    params: [{ name: "commande", description: M.helpParam, optional: true }],
    examples: ["!aide", "!aide aide"],
    execute: (ctx, args) => explain(args["commande"], ctx.lang).reply,
  };
  const all = [helpSpec, ...commands.map(withEnglishAlias)];
  const byKey = validateSpecs(all);
  const candidates: Candidate<Spec<Ctx>>[] = all.flatMap((spec) => [spec.name, ...(spec.aliases ?? [])].map((key) => ({ key, owner: spec })));
  const shownName: ShownName = (spec, lang) => (spec === helpSpec ? helpWord(lang) : lang === "en" && spec.englishName ? spec.englishName : spec.name);
  const find = (typed: string): Spec<Ctx> | undefined => byKey.get(foldText(typed));

  function seeHelp(lang: Lang): Inline[] {
    return fill(M.seeHelp, lang, { help: { code: `!${helpWord(lang)}` } });
  }

  function suggestions(typed: string, lang: Lang): Inline[] {
    const found = suggest(typed, candidates).map((key): Inline => ({ code: `!${key}` }));
    if (found.length === 0) return seeHelp(lang);
    return fill(M.didYouMean, lang, { suggestions: joinInlines(found, ", ", M.or[lang]) });
  }

  function explain(typed: string | undefined, lang: Lang): { reply: Reply; found: boolean } {
    if (typed === undefined) return { reply: helpList(all, botName, lang, shownName, helpWord(lang)), found: true };
    const name = typed.replace(/^[!/]/, "");
    const spec = find(name);
    if (spec) return { reply: commandHelp(spec, lang, shownName), found: true };
    return { reply: render([{ p: [localize(M.helpUnknown, lang, { name: echo(name) }), " ", ...suggestions(name, lang)] }]), found: false };
  }

  function usageError(spec: Spec<Ctx>, problem: Inline[], lang: Lang, extra: Block[] = []): Replied {
    const usage = fill(M.usage, lang, { usage: { code: usageLine(spec, shownName(spec, lang)) } });
    return replied(render([{ p: problem }, { p: usage }, ...extra]), spec.name, "user-error");
  }

  /** Binds the arguments to the declared parameters, or explains with the usage line why it cannot. */
  function bind(spec: Spec<Ctx>, args: readonly string[], lang: Lang): { args: Record<string, string | undefined> } | { error: Replied } {
    const params = spec.params;
    const missing = params.filter((p, i) => !p.optional && i >= args.length).map((p): Inline => ({ code: p.name }));
    if (missing.length > 0) {
      const message = missing.length === 1 ? M.missingOne : M.missingMany;
      return { error: usageError(spec, fill(message, lang, { names: joinInlines(missing, ", ", M.and[lang]) }), lang) };
    }
    if (params.at(-1)?.rest !== true && args.length > params.length) {
      const problem = fill(params.length === 0 ? M.noArgsExpected : M.tooMany, lang, { max: String(params.length), given: String(args.length) });
      return { error: usageError(spec, problem, lang, [{ p: quotingTip(lang) }]) };
    }
    const bound: Record<string, string | undefined> = {};
    params.forEach((p, i) => {
      bound[p.name] = p.rest ? (args.length > i ? args.slice(i).join(" ") : undefined) : args[i];
    });
    return { args: bound };
  }

  async function run(spec: Spec<Ctx>, args: readonly string[], ctx: Ctx): Promise<Replied> {
    if (args.length > 0 && HELP_FLAGS.has(args[0]!)) return replied(commandHelp(spec, ctx.lang, shownName), spec.name, "ok");
    const bound = bind(spec, args, ctx.lang);
    if ("error" in bound) return bound.error;
    if (spec === helpSpec) {
      // Help asked about an unknown command is a typo to count as such, not a success.
      const { reply, found } = explain(bound.args["commande"], ctx.lang);
      return replied(reply, spec.name, found ? "ok" : "user-error");
    }
    try {
      const reply = await spec.execute(ctx, bound.args, args);
      return replied(reply, spec.name, "ok");
    } catch (err) {
      const log = { correlationId: ctx.correlationId, command: spec.name };
      if (err instanceof CommandError) {
        logger.warn({ ...log, reason: err.message }, "command refused");
        return replied(render([{ p: [localize(err.humanMessage, ctx.lang, err.params)] }]), spec.name, "user-error");
      }
      logger.error({ ...log, err }, "command failed");
      const text = fill(M.internalError, ctx.lang, { ref: { code: ctx.correlationId } });
      return replied(render([{ p: text }]), spec.name, "internal-error");
    }
  }

  async function route(body: string, ctx: Ctx): Promise<RouteOutcome> {
    const parsed = parseCommand(body);
    const lang = ctx.lang;
    switch (parsed.kind) {
      case "not-a-command":
        return { kind: "ignored" };
      case "empty":
        return replied(render([{ p: [localize(M.emptyCommand, lang, { prefix: parsed.prefix }), " ", ...seeHelp(lang)] }]), null, "user-error");
      case "malformed": {
        const spec = find(parsed.name);
        const problem = [localize(M.unterminatedQuote, lang)];
        if (spec) return usageError(spec, problem, lang, [{ p: quotingTip(lang) }]);
        return replied(render([{ p: problem }, { p: quotingTip(lang) }]), null, "user-error");
      }
      case "command": {
        const spec = find(parsed.name);
        if (spec) return run(spec, parsed.args, ctx);
        const unknown = fill(M.unknownCommand, lang, { command: { code: `${parsed.prefix}${echo(parsed.name)}` } });
        return replied(render([{ p: [...unknown, " ", ...suggestions(parsed.name, lang)] }]), null, "user-error");
      }
    }
  }

  return { route, commands };
}

function quotingTip(lang: Lang): Inline[] {
  return fill(M.quotingTip, lang, { double: { code: '"Jean Dupont"' }, french: { code: "« Jean Dupont »" }, escaped: { code: '\\"' } });
}
