import { CommandError, type BaseContext, type CommandSpec, type Reply } from "../../core/commands/command.ts";
import type { Conversation } from "../../core/event-handler.ts";
import { localize, type Lang } from "../../core/i18n/lang.ts";
import type { DirectoryPerson, Member, Membership } from "../membership.ts";
import { foldName } from "../territory.ts";
import { fieldNamed, PROFILE_FIELDS, type Profile, type ProfileField } from "./profile-fields.ts";
import type { GuideSessions, Profiles } from "./profile-store.ts";
import { PROFILE_MESSAGES as M } from "./messages.ts";

const GUIDE_WORDS = new Set(["guide", "guider", "guided"]);
const SKIP_WORDS = new Set(["passer", "passe", "skip", "suivant"]);
const STOP_WORDS = new Set(["fin", "stop", "arreter", "annuler", "quit"]);

/** `!profil`: a member's card, field edits, and the guided questions (a Conversation). */
export class ProfileFlow implements Conversation {
  private readonly membership: Membership;
  private readonly profiles: Profiles;
  private readonly sessions: GuideSessions;
  private readonly changed: (member: Member, profile: Profile) => void;

  /** `changed`: told after every saved edit (the search index reads profiles). */
  constructor(membership: Membership, profiles: Profiles, sessions: GuideSessions, changed: (member: Member, profile: Profile) => void) {
    this.membership = membership;
    this.profiles = profiles;
    this.sessions = sessions;
    this.changed = changed;
  }

  command(): CommandSpec<BaseContext> {
    return {
      name: "profil",
      englishName: "profile",
      aliases: ["profile", "fiche"],
      summary: M.profileSummary,
      params: [
        { name: "champ", description: M.fieldParam, optional: true },
        { name: "valeur", description: M.valueParam, optional: true, rest: true },
      ],
      examples: ["!profil", "!profil langues anglais, espagnol", "!profil equipements ECG", "!profil guide"],
      execute: (ctx, args) => this.execute(ctx, args["champ"], args["valeur"]),
    };
  }

  isOpen(userId: string, roomId: string): boolean {
    return this.sessions.step(userId, roomId) !== undefined;
  }

  async answer(ctx: BaseContext, text: string): Promise<Reply> {
    const member = this.memberOrThrow(ctx.sender);
    const steps = stepsFor(member.person);
    const step = this.sessions.step(ctx.sender, ctx.roomId) ?? 0;
    const field = steps[step];
    const word = foldName(text);
    if (!field || STOP_WORDS.has(word)) {
      this.sessions.close(ctx.sender, ctx.roomId);
      return { text: localize(M.guideStopped, ctx.lang) };
    }
    if (!SKIP_WORDS.has(word)) {
      const parsed = field.parse(text);
      if (!parsed.ok) {
        return { text: localize(M.retry, ctx.lang, { error: localize(parsed.error, ctx.lang, parsed.params), question: localize(field.question, ctx.lang) }) };
      }
      this.changed(member, this.profiles.set(ctx.sender, field.key, parsed.value));
    }
    const next = steps[step + 1];
    if (!next) {
      this.sessions.close(ctx.sender, ctx.roomId);
      return { text: `${localize(M.guideDone, ctx.lang)}\n\n${renderCard(member, this.profiles.get(ctx.sender), ctx.lang)}` };
    }
    this.sessions.moveTo(ctx.sender, ctx.roomId, step + 1);
    return { text: questionWithCurrent(next, this.profiles.get(ctx.sender), ctx.lang) };
  }

  private execute(ctx: BaseContext, fieldName: string | undefined, value: string | undefined): Reply {
    const member = this.memberOrThrow(ctx.sender);
    if (fieldName === undefined) return { text: renderCard(member, this.profiles.get(ctx.sender), ctx.lang) };
    if (GUIDE_WORDS.has(foldName(fieldName))) {
      this.sessions.open(ctx.sender, ctx.roomId);
      const first = stepsFor(member.person)[0]!;
      return { text: `${localize(M.guideStart, ctx.lang)}\n\n${questionWithCurrent(first, this.profiles.get(ctx.sender), ctx.lang)}` };
    }
    const field = fieldNamed(fieldName);
    if (!field) throw new CommandError("unknown profile field", M.unknownField, { field: fieldName.slice(0, 40) });
    if (value === undefined) throw new CommandError("profile field without value", M.missingValue, { field: field.names[0]! });
    const parsed = field.parse(value);
    if (!parsed.ok) throw new CommandError("invalid profile value", parsed.error, parsed.params);
    const profile = this.profiles.set(ctx.sender, field.key, parsed.value);
    this.changed(member, profile);
    return { text: localize(M.saved, ctx.lang, { label: localize(field.label, ctx.lang), value: renderValue(profile[field.key], ctx.lang) }) };
  }

  private memberOrThrow(userId: string): Member {
    const member = this.membership.memberOf(userId);
    if (!member) throw new CommandError("profile of a non-member", M.membersOnly);
    return member;
  }
}

/** New patients as médecin traitant is a GP's question only. */
function stepsFor(person: DirectoryPerson): readonly ProfileField[] {
  return PROFILE_FIELDS.filter((f) => f.key !== "newPatients" || person.specialty === "medecine generale");
}

function questionWithCurrent(field: ProfileField, profile: Profile, lang: Lang): string {
  const current = profile[field.key];
  const isSet = Array.isArray(current) ? current.length > 0 : current !== null;
  const now = isSet ? ` (${lang === "fr" ? "actuellement" : "now"} : ${renderValue(current, lang)})` : "";
  return `${localize(field.question, lang)}${now}`;
}

function renderValue(value: Profile[keyof Profile], lang: Lang): string {
  if (value === null) return localize(M.notSet, lang);
  if (typeof value === "boolean") return localize(value ? M.yes : M.no, lang);
  if (Array.isArray(value)) return value.length > 0 ? value.join(", ") : localize(M.notSet, lang);
  return String(value);
}

/** The card: the national data as published, then what the member added, apart. */
export function renderCard(member: Member, profile: Profile, lang: Lang): string {
  const { person } = member;
  const national = localize(M.nationalPart, lang, {
    rpps: person.identifier,
    name: `${person.firstName} ${person.lastName}`,
    profession: person.professionLabel,
    specialty: person.specialtyLabel ? ` (${person.specialtyLabel})` : "",
    communes: person.communes.join(", ") || "—",
  });
  const added = stepsFor(person).map((f) => `• ${localize(f.label, lang)} : ${renderValue(profile[f.key], lang)}`);
  return [localize(M.cardTitle, lang), national, localize(M.memberPart, lang), ...added, "", localize(M.howToEdit, lang)].join("\n");
}
