import { CommandError, type BaseContext, type CommandSpec, type Reply } from "../../core/commands/command.ts";
import { fill, render, type Block, type Inline } from "../../core/commands/render.ts";
import type { Clock } from "../../core/clock.ts";
import { foldText, localize, type Lang } from "../../core/i18n/lang.ts";
import type { UserId } from "../domain/ids.ts";
import type { GardePeople } from "./garde-people.ts";
import type { GardeRota } from "./garde-rota.ts";
import { GARDE_COMMAND_MESSAGES as M } from "./messages.ts";
import { PARIS_TIME_ZONE } from "../../core/time/paris-time.ts";
import { formatDuration, parseShiftDeclaration, shiftId, type Shift } from "./shifts.ts";

const LIST_SIZE = 15;

type Action = "now" | "list" | "add" | "remove";
const ACTIONS: Readonly<Record<string, Action>> = {
  maintenant: "now", now: "now",
  liste: "list", list: "list",
  ajout: "add", ajouter: "add", add: "add",
  retirer: "remove", retrait: "remove", supprimer: "remove", remove: "remove", delete: "remove",
};

export interface GardeCommandDeps {
  readonly rota: GardeRota;
  readonly people: GardePeople;
  readonly clock: Clock;
  /** Who may add and remove shifts. */
  readonly coordinators: readonly string[];
  /** Verified members of the CPTS may read the rota. */
  readonly isMember: (userId: string) => boolean;
}

/** `!garde` (English `!oncall`): who is on duty, the upcoming shifts, and the coordinators' changes. */
export function gardeCommand(deps: GardeCommandDeps): CommandSpec<BaseContext> {
  const isCoordinator = (userId: string) => deps.coordinators.includes(userId);

  function execute(ctx: BaseContext, actionText: string | undefined, details: string | undefined): Reply {
    if (!deps.isMember(ctx.sender) && !isCoordinator(ctx.sender)) throw new CommandError("garde read by a non-member", M.membersOnly);
    const action = actionText === undefined ? "now" : ACTIONS[foldText(actionText)];
    if (action === undefined) throw new CommandError("unknown garde action", M.unknownAction, { input: actionText ?? "" });
    if ((action === "now" || action === "list") && details !== undefined) {
      throw new CommandError("garde action with extra arguments", M.unexpectedDetails, { action: actionText ?? "", input: details });
    }
    if ((action === "add" || action === "remove") && !isCoordinator(ctx.sender)) throw new CommandError(`garde ${action} by a non-coordinator`, M.coordinatorsOnly);
    switch (action) {
      case "now":
        return onDutyNow(ctx.lang);
      case "list":
        return list(ctx.lang);
      case "add":
        return add(ctx, details ?? "");
      case "remove":
        return remove(ctx, details);
    }
  }

  function onDutyNow(lang: Lang): Reply {
    const now = deps.clock.now();
    const onDuty = deps.rota.onDutyAt(now);
    const next = deps.rota.nextAfter(now);
    const blocks: Block[] =
      onDuty.length === 0
        ? [{ p: [localize(M.nobodyOnDuty, lang)] }]
        : [{ p: [{ strong: localize(M.onDutyTitle, lang) }] }, { list: onDuty.map((s) => fill(M.onDutyItem, lang, { who: who(s), until: formatParis(s.endsAt, lang) })) }];
    blocks.push({ p: next ? fill(M.nextShift, lang, span(next, lang)) : [localize(M.noNextShift, lang)] });
    return render(blocks);
  }

  function list(lang: Lang): Reply {
    const shifts = deps.rota.upcoming(deps.clock.now(), LIST_SIZE + 1);
    if (shifts.length === 0) return render([{ p: [localize(M.listEmpty, lang)] }]);
    const blocks: Block[] = [
      { p: [{ strong: localize(M.listTitle, lang) }] },
      { list: shifts.slice(0, LIST_SIZE).map((s) => fill(M.listItem, lang, { id: { code: String(s.id) }, ...span(s, lang) })) },
    ];
    if (shifts.length > LIST_SIZE) blocks.push({ p: [localize(M.listMore, lang, { count: LIST_SIZE })] });
    blocks.push({ p: [localize(M.listFooter, lang)] });
    return render(blocks);
  }

  function add(ctx: BaseContext, details: string): Reply {
    const parsed = parseShiftDeclaration(details, deps.clock.now());
    if (!parsed.ok) throw new CommandError("garde declaration refused", parsed.problem.text, { ...parsed.problem.params });
    const { shift, overlaps } = deps.rota.add(parsed.draft, ctx.sender as UserId);
    const lang = ctx.lang;
    const duration = formatDuration(shift.endsAt - shift.startsAt);
    const blocks: Block[] = [{ p: fill(M.added, lang, { id: { code: String(shift.id) }, duration, ...span(shift, lang) }) }];
    for (const note of parsed.notes) blocks.push({ p: [localize(note.text, lang, note.params)] });
    const person = deps.people.describe(shift.userId);
    if (!person.member) blocks.push({ p: [localize(M.notAMemberWarning, lang, { user: shift.userId })] });
    else if (person.phone === null) blocks.push({ p: [localize(M.noPhoneWarning, lang, { who: person.name })] });
    if (overlaps.length > 0) {
      blocks.push({ p: [localize(M.overlapWarning, lang)] });
      blocks.push({ list: overlaps.map((s) => fill(M.listItem, lang, { id: { code: String(s.id) }, ...span(s, lang) })) });
    }
    return render(blocks);
  }

  function remove(ctx: BaseContext, details: string | undefined): Reply {
    if (details === undefined) throw new CommandError("garde removal without a number", M.missingShiftNumber);
    const match = /^(?:#|n°)?(\d{1,15})$/i.exec(details.trim());
    if (!match) throw new CommandError("garde removal with a bad number", M.badShiftNumber, { input: details });
    const id = Number(match[1]);
    const removed = id > 0 ? deps.rota.remove(shiftId(id), ctx.sender as UserId) : undefined;
    if (!removed) throw new CommandError(`garde removal of unknown shift ${id}`, M.unknownShift, { id });
    return render([{ p: fill(M.removed, ctx.lang, { id: { code: String(removed.id) }, ...span(removed, ctx.lang) }) }]);
  }

  function who(shift: Shift): Inline[] {
    const person = deps.people.describe(shift.userId);
    const details = [person.profession, shift.label].filter((d): d is string => d !== null && d !== undefined);
    return [{ strong: person.name }, ...(details.length > 0 ? [` (${details.join(", ")})`] : [])];
  }

  function span(shift: Shift, lang: Lang): { who: Inline[]; from: string; until: string } {
    return { who: who(shift), from: formatParis(shift.startsAt, lang), until: formatParis(shift.endsAt, lang) };
  }

  return {
    name: "garde",
    englishName: "oncall",
    aliases: ["gardes", "oncall"],
    summary: M.summary,
    params: [
      { name: "action", description: M.actionParam, optional: true },
      { name: "détails", description: M.detailsParam, optional: true, rest: true },
    ],
    examples: ["!garde", "!garde liste", "!garde ajout @dr.martin:cpts.fr 24/11 20h 25/11 8h", "!garde ajout @dr.martin:cpts.fr demain 20h 8h nuit", "!garde retirer 12"],
    execute: (ctx, args) => execute(ctx, args["action"], args["détails"]),
  };
}

const FORMATS: Readonly<Record<Lang, Intl.DateTimeFormat>> = {
  fr: new Intl.DateTimeFormat("fr-FR", { timeZone: PARIS_TIME_ZONE, weekday: "short", day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
  en: new Intl.DateTimeFormat("en-GB", { timeZone: PARIS_TIME_ZONE, weekday: "short", day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
};

/** "mar. 24/11 20:00", in Paris time. */
export function formatParis(epochMs: number, lang: Lang): string {
  return FORMATS[lang].format(epochMs);
}
