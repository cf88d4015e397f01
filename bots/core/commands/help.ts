import { CORE_MESSAGES as M } from "../i18n/core-messages.ts";
import { localize, type Lang, type Localized } from "../i18n/lang.ts";
import type { CommandSpec, ParamSpec, Reply } from "./command.ts";
import { fill, joinInlines, render, type Block, type Inline } from "./render.ts";

/** How a command is shown to a person (the help command is "!help" in English). */
export type ShownName = (spec: CommandSpec<never>, lang: Lang) => string;

function paramUsage(p: ParamSpec): string {
  const label = p.rest ? `${p.name}…` : p.name;
  return p.optional ? `[${label}]` : `<${label}>`;
}

/** "!note <patient> [texte…]": the same line in the help and in every argument error. */
export function usageLine(spec: CommandSpec<never>, shown: string): string {
  return [`!${shown}`, ...spec.params.map(paramUsage)].join(" ");
}

/** `help` is the help command as shown; the footer example asks for help on the first other command. */
export function helpList(specs: readonly CommandSpec<never>[], botName: Localized, lang: Lang, shownName: ShownName, help: string): Reply {
  const example = specs.map((s) => shownName(s, lang)).find((n) => n !== help) ?? help;
  const sorted = [...specs].sort((a, b) => shownName(a, lang).localeCompare(shownName(b, lang), lang));
  const items = sorted.map((spec): Inline[] => [{ code: usageLine(spec, shownName(spec, lang)) }, ` — ${spec.summary[lang]}`]);
  return render([
    { p: [{ strong: localize(M.helpTitle, lang, { bot: botName[lang] }) }] },
    { list: items },
    { p: fill(M.helpFooter, lang, { example: { code: `!${help} ${example}` } }) },
  ]);
}

export function commandHelp(spec: CommandSpec<never>, lang: Lang, shownName: ShownName): Reply {
  const shown = shownName(spec, lang);
  const blocks: Block[] = [{ p: [{ code: usageLine(spec, shown) }] }, { p: [spec.summary[lang]] }];
  const others = [spec.name, ...(spec.aliases ?? [])].filter((n) => n !== shown);
  if (others.length > 0) {
    blocks.push({ p: fill(M.helpAliases, lang, { aliases: joinInlines(others.map((n) => ({ code: `!${n}` })), ", ") }) });
  }
  if (spec.params.length > 0) {
    blocks.push({ p: [localize(M.helpParams, lang)] });
    blocks.push({ list: spec.params.map((p) => [{ code: p.name }, `${paramNotes(p, lang)} — ${p.description[lang]}`]) });
  }
  if (spec.examples && spec.examples.length > 0) {
    blocks.push({ p: [localize(M.helpExamples, lang)] });
    blocks.push({ list: spec.examples.map((e) => [{ code: e }]) });
  }
  return render(blocks);
}

function paramNotes(p: ParamSpec, lang: Lang): string {
  const notes = [p.optional ? M.helpOptional[lang] : "", p.rest ? M.helpRest[lang] : ""].filter(Boolean);
  return notes.length > 0 ? ` (${notes.join(", ")})` : "";
}
