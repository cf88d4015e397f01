import type { Lang, Localized } from "../i18n/lang.ts";

export interface ParamSpec {
  readonly name: string;
  readonly description: Localized;
  readonly optional?: boolean;
  /** Swallows the remaining arguments, joined by single spaces. Only allowed on the last parameter. */
  readonly rest?: boolean;
}

export interface Reply {
  readonly text: string;
  readonly html?: string;
}

export interface BaseContext {
  readonly lang: Lang;
  /** Matrix user ID of the person who typed the command. */
  readonly sender: string;
  readonly roomId: string;
  /** Short id shown to the person on an unexpected error and present on every log line about it. */
  readonly correlationId: string;
  /** The message being answered: a command handled again after a crash has the same one (for idempotent effects). */
  readonly eventId?: string;
  /** Whether the session the command came from is cross-signed by its owner (known for decrypted messages). */
  readonly senderSessionVerified?: boolean;
}

export interface CommandSpec<Ctx extends BaseContext = BaseContext> {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** Shown to English speakers in help and usage; also accepted as an alias. */
  readonly englishName?: string;
  readonly summary: Localized;
  readonly params: readonly ParamSpec[];
  readonly examples?: readonly string[];
  /** `argList`: the arguments as split (quoted ones kept whole), for commands whose forms differ by shape. */
  execute(ctx: Ctx, args: Record<string, string | undefined>, argList?: readonly string[]): Promise<Reply> | Reply;
}

/**
 * A refusal the person can act on. Two channels: `message` is precise and goes to the log;
 * `humanMessage` (with `params`) is what the person reads, in their language.
 */
export class CommandError extends Error {
  readonly humanMessage: Localized;
  readonly params: Readonly<Record<string, string | number>> | undefined;

  constructor(logMessage: string, humanMessage: Localized, params?: Record<string, string | number>) {
    super(logMessage);
    this.name = "CommandError";
    this.humanMessage = humanMessage;
    this.params = params;
  }
}
