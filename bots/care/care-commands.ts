import type { BaseContext, CommandSpec, Reply } from "../core/commands/command.ts";
import { type CareDeps, say } from "./care-context.ts";
import type { AlertService } from "./alert-service.ts";
import type { CaseService } from "./case-service.ts";
import { splitPeople } from "./domain/command-args.ts";
import type { ExpertiseService } from "./expertise-service.ts";
import { CASE_MESSAGES as C } from "./messages/case-messages.ts";
import { EXPERTISE_MESSAGES as E } from "./messages/expertise-messages.ts";
import { REFERRAL_MESSAGES as R } from "./messages/referral-messages.ts";
import { RCP_MESSAGES as RCP } from "./messages/rcp-messages.ts";
import type { RcpService } from "./rcp-service.ts";
import type { ReferralService } from "./referral-service.ts";
import type { TeamService } from "./team-service.ts";

type Execute = CommandSpec["execute"];

export interface CareUseCases {
  readonly cases: CaseService;
  readonly team: TeamService;
  readonly alerts: AlertService;
  readonly referrals: ReferralService;
  readonly expertise: ExpertiseService;
  readonly rcp: RcpService;
}

/** The care bot's commands, for verified members only. */
export function careCommands(deps: CareDeps, { cases, team, alerts, referrals, expertise, rcp }: CareUseCases): CommandSpec[] {
  const membersOnly =
    (run: (ctx: BaseContext, args: Record<string, string | undefined>, argList: readonly string[]) => Promise<Reply> | Reply): Execute =>
    (ctx, args, argList = []) =>
      deps.people.statusOf(ctx.sender) === "verified" ? run(ctx, args, argList) : say(ctx.lang, C.membersOnly);

  return [
    {
      name: "patient",
      summary: C.patientSummary,
      params: [{ name: "theme", description: C.patientParam, optional: true, rest: true }],
      examples: ["!patient", "!patient plaie pied diabétique @ide.bernard:cpts.example.fr 10001234567"],
      execute: membersOnly((ctx, _args, argList) => {
        if (argList.length === 0) return cases.startGuided(ctx);
        const { people, words } = splitPeople(argList);
        return cases.create(ctx, words.join(" "), people, false);
      }),
    },
    {
      name: "fiche",
      englishName: "card",
      summary: C.ficheSummary,
      params: [],
      execute: membersOnly((ctx) => cases.askCardAgain(ctx)),
    },
    {
      name: "inviter",
      englishName: "invite",
      summary: C.inviteSummary,
      params: [{ name: "qui", description: C.inviteParam, optional: true, rest: true }],
      examples: ["!inviter kiné Douai", "!inviter Sophie Bernard", "!inviter 10001234567", "!inviter @ide.bernard:cpts.example.fr"],
      execute: membersOnly((ctx, _args, argList) => team.invite(ctx, argList)),
    },
    {
      name: "retirer",
      englishName: "remove",
      summary: C.removeSummary,
      params: [{ name: "qui", description: C.personParam }],
      execute: membersOnly((ctx, args) => team.remove(ctx, args["qui"]!)),
    },
    {
      name: "gestionnaire",
      englishName: "manager",
      summary: C.managerSummary,
      params: [{ name: "qui", description: C.personParam }],
      execute: membersOnly((ctx, args) => team.promote(ctx, args["qui"]!)),
    },
    {
      name: "alerte",
      englishName: "alert",
      summary: C.alertSummary,
      params: [{ name: "message", description: C.alertParam, optional: true, rest: true }],
      examples: ["!alerte chute à domicile, patiente confuse"],
      execute: membersOnly((ctx, args) => alerts.alert(ctx, args["message"])),
    },
    {
      name: "rcp",
      aliases: ["teleconsultation", "visio"],
      summary: RCP.rcpSummary,
      params: [{ name: "quand", description: RCP.rcpParam, optional: true, rest: true }],
      examples: ["!rcp 12/03 14h30 45min point plaie", "!rcp demain 18h", "!rcp jeudi 12h30 30min adaptation antalgie"],
      execute: membersOnly((ctx, _args, argList) => rcp.schedule(ctx, argList)),
    },
    {
      name: "clore",
      englishName: "close",
      summary: C.closeSummary,
      params: [{ name: "code", description: C.codeParam, optional: true }],
      execute: membersOnly((ctx, args) => cases.close(ctx, args["code"])),
    },
    {
      name: "rouvrir",
      englishName: "reopen",
      summary: C.reopenSummary,
      params: [{ name: "code", description: C.codeParam, optional: true }],
      examples: ["!rouvrir C-7K3F"],
      execute: membersOnly((ctx, args) => cases.reopen(ctx, args["code"])),
    },
    {
      name: "mes-patients",
      englishName: "my-patients",
      summary: C.myCasesSummary,
      params: [],
      execute: membersOnly((ctx) => cases.myCases(ctx)),
    },
    {
      name: "adresser",
      englishName: "refer",
      summary: R.referSummary,
      params: [{ name: "destinataire", description: R.referParam, optional: true, rest: true }],
      examples: ["!adresser kiné Douai rééducation genou", '!adresser "Marie Curie" bilan mémoire', "!adresser @kine.moreau:cpts.example.fr rééducation épaule"],
      execute: membersOnly((ctx, _args, argList) => referrals.refer(ctx, argList)),
    },
    {
      name: "adressage",
      englishName: "referral",
      aliases: ["adressages"],
      summary: R.referralSummary,
      params: [{ name: "action", description: R.referralParam, optional: true, rest: true }],
      examples: ["!adressage liste", "!adressage accepte AD-7K3F", "!adressage refuse AD-7K3F pas de créneau avant 3 semaines", "!adressage fait AD-7K3F"],
      execute: membersOnly((ctx, _args, argList) => referrals.act(ctx, argList)),
    },
    {
      name: "avis",
      englishName: "opinion",
      aliases: ["teleexpertise"],
      summary: E.avisSummary,
      params: [{ name: "demande", description: E.avisParam, optional: true, rest: true }],
      examples: ["!avis cardiologue ECG ci-joint", "!avis dermato lésion pigmentée du dos", "!avis prendre AV-7K3F", "!avis export mois"],
      execute: membersOnly((ctx, _args, argList) => expertise.command(ctx, argList)),
    },
    {
      name: "reponse",
      englishName: "answer",
      aliases: ["repondre"],
      summary: E.answerSummary,
      params: [{ name: "avis", description: E.answerParam, optional: true, rest: true }],
      execute: membersOnly((ctx, args) => expertise.answer(ctx, args["avis"])),
    },
  ];
}
