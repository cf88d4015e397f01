import { createHash, randomBytes } from "node:crypto";
import type { BotServices } from "../core/bot-runtime.ts";
import type { Reply } from "../core/commands/command.ts";
import { type Lang, localize, type Localized } from "../core/i18n/lang.ts";
import type { Territory } from "../directory/territory.ts";
import type { CareOptions } from "./care-options.ts";
import type { CareRooms } from "./matrix/care-rooms.ts";
import { codeFromBytes, type CodeKind } from "./domain/ids.ts";
import type { CarePeople } from "./people.ts";
import type { CaseStore } from "./store/case-store.ts";
import type { ExpertiseStore } from "./store/expertise-store.ts";
import type { Prompts } from "./store/prompts.ts";
import type { ReferralStore } from "./store/referral-store.ts";

/** What the care use cases share: the bot's services, the stores, the directory, the rooms, and a way to run pending effects. */
export interface CareDeps {
  readonly services: BotServices;
  readonly options: CareOptions;
  readonly territory: Territory;
  readonly people: CarePeople;
  readonly rooms: CareRooms;
  readonly prompts: Prompts;
  readonly cases: CaseStore;
  readonly referrals: ReferralStore;
  readonly expertise: ExpertiseStore;
  /** Carries out what the transitions left in the outbox; resolves when the outbox is empty or held back by a failure. */
  readonly drain: () => Promise<void>;
}

/** A refusal or a result told to the person who acted, in their language. */
export function say(lang: Lang, text: Localized, params?: Record<string, string | number>): Reply {
  return { text: localize(text, lang, params) };
}

export function languageOf(deps: Pick<CareDeps, "services">, userId: string): Lang {
  return deps.services.preferences.language(userId) ?? deps.services.defaultLanguage;
}

/** A link Element opens on the room, for people who are members of it. */
export function roomLink(roomId: string): string {
  return `https://matrix.to/#/${encodeURIComponent(roomId)}`;
}

/**
 * A code derived from the message that asked for it, so the same message handled again after
 * a crash finds what it made; random when that code is already someone else's.
 */
export function codeFor(kind: CodeKind, eventId: string | undefined, taken: (code: string) => boolean): string {
  if (eventId !== undefined) {
    const derived = codeFromBytes(kind, createHash("sha256").update(`care\0${kind}\0${eventId}`).digest());
    if (!taken(derived)) return derived;
  }
  for (;;) {
    const code = codeFromBytes(kind, randomBytes(4));
    if (!taken(code)) return code;
  }
}

export const CANCEL_WORDS = new Set(["annuler", "annule", "stop", "cancel"]);
export const YES_WORDS = new Set(["oui", "o", "yes", "y", "confirmer", "confirme"]);
