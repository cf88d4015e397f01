import { CommandError, type BaseContext, type CommandSpec, type Reply } from "../../bots/core/commands/command.ts";
import { foldText, localize } from "../../bots/core/i18n/lang.ts";
import { MSSANTE_MESSAGES as M } from "./messages.ts";
import { normaliseCaseTag } from "./routing/route.ts";
import type { CaseLinks } from "./store/case-links.ts";

const INS = /^[12][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{8}$/;
const TAG = /^[A-Z0-9][A-Z0-9-]{1,39}$/;

/**
 * `!dossier`: links the room it is typed in (a patient's case room the bridge was invited
 * to) to the patient's INS or to a case code, so mail about that patient or case arrives
 * there; `voir` shows the links, `fermer` removes them.
 */
export function caseCommand(links: CaseLinks, mailbox: string): CommandSpec<BaseContext> {
  const [local, domain] = mailbox.split("@") as [string, string];
  return {
    name: "dossier",
    englishName: "case",
    aliases: ["case"],
    summary: M.caseSummary,
    params: [
      { name: "action", description: M.caseActionParam },
      { name: "valeur", description: M.caseValueParam, optional: true, rest: true },
    ],
    examples: ["!dossier ins 290017512345612", "!dossier etiquette 7F3K", "!dossier voir", "!dossier fermer"],
    execute(ctx, args): Reply {
      const action = foldText(args["action"] ?? "");
      const value = (args["valeur"] ?? "").trim();
      if (action === "ins") {
        const ins = value.replace(/\s+/g, "").toUpperCase();
        if (!INS.test(ins)) throw new CommandError("invalid INS", M.caseBadIns);
        links.linkPatient(ins, ctx.roomId, ctx.sender);
        return { text: localize(M.caseLinkedPatient, ctx.lang) };
      }
      if (action === "etiquette" || action === "tag") {
        const tag = normaliseCaseTag(value);
        if (!TAG.test(tag)) throw new CommandError("invalid case tag", M.caseBadTag);
        links.linkTag(tag, ctx.roomId, ctx.sender);
        return { text: localize(M.caseLinkedTag, ctx.lang, { tag, subaddress: `${local}+${tag.toLowerCase()}@${domain}` }) };
      }
      if (action === "voir" || action === "show") {
        const linked = links.linksOf(ctx.roomId);
        if (linked.patients === 0 && linked.tags.length === 0) return { text: localize(M.caseNone, ctx.lang) };
        return { text: localize(M.caseShow, ctx.lang, { patients: linked.patients, tags: linked.tags.join(", ") || "—" }) };
      }
      if (action === "fermer" || action === "close") {
        return { text: localize(M.caseClosed, ctx.lang, { count: links.unlinkRoom(ctx.roomId) }) };
      }
      throw new CommandError("unknown case action", M.caseUnknownAction, { action: args["action"] ?? "" });
    },
  };
}
