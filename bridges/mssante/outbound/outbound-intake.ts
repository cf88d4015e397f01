import type { Clock } from "../../../bots/core/clock.ts";
import { CommandError, type BaseContext, type Reply } from "../../../bots/core/commands/command.ts";
import { localize } from "../../../bots/core/i18n/lang.ts";
import type { IncomingEvent } from "../../../bots/core/intake.ts";
import type { Logger } from "../../../bots/core/logger.ts";
import { domainOf, messageIdForEvent } from "../mail/message-id.ts";
import { mailMetaOf, threadOfContent } from "../matrix/contents.ts";
import type { ReadEvent } from "../matrix/matrix-mail.ts";
import { MSSANTE_MESSAGES as M } from "../messages.ts";
import type { BridgedMail, MailThreads } from "../store/mail-threads.ts";
import type { Outbox } from "../store/outbox.ts";

/** What drafting needs from Matrix. */
export interface DraftMatrix {
  readEvent(roomId: string, eventId: string): Promise<ReadEvent>;
}

export interface IntakeDeps {
  readonly outbox: Outbox;
  readonly threads: MailThreads;
  readonly matrix: DraftMatrix;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The mailbox `!mail` sends from. */
  readonly defaultMailbox: string;
  readonly composeMs: number;
  readonly draftWaitMs: number;
  /** Something became due earlier: the sender should look again. */
  readonly onDraftChanged: () => void;
}

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/**
 * Turns what members write in Matrix into outgoing drafts: a message or file in the thread
 * of a bridged mail (or a reply to it) answers that mail; `!mail <address> [text]` opens a
 * new mail, completed by what its author posts in the command's thread. Several messages
 * by one author within the composing time make one mail.
 */
export class OutboundIntake {
  private readonly deps: IntakeDeps;

  constructor(deps: IntakeDeps) {
    this.deps = deps;
  }

  /** `!mail <address> [text]`. */
  openMail(ctx: BaseContext, address: string, text: string): Reply {
    const recipient = address.trim().replace(/^<|>$/g, "").toLowerCase();
    if (!ADDRESS.test(recipient)) throw new CommandError("invalid recipient address", M.mailBadAddress, { address });
    if (!ctx.eventId) throw new Error("the command's event id is unknown");
    const hasText = text.trim().length > 0;
    const wait = hasText ? this.deps.composeMs : this.deps.draftWaitMs;
    const draft = this.deps.outbox.open(
      {
        mailbox: this.deps.defaultMailbox,
        roomId: ctx.roomId,
        threadRootId: ctx.eventId,
        sender: ctx.sender,
        messageId: messageIdForEvent(ctx.eventId, domainOf(this.deps.defaultMailbox)),
        recipients: [recipient],
        commandEventId: ctx.eventId,
      },
      this.deps.clock.now() + wait,
    );
    this.deps.onDraftChanged();
    this.deps.logger.info({ outboxId: draft.id, roomId: ctx.roomId, withText: hasText }, "mail draft opened");
    const seconds = Math.round(this.deps.composeMs / 1000);
    return { text: localize(hasText ? M.mailDraftOpened : M.mailDraftWaiting, ctx.lang, { address: recipient, seconds }) };
  }

  /**
   * Any other message: part of a mail if it is in a mail thread, else ignored. It answers
   * the mail it explicitly replies to, else the thread's latest mail, and goes to whoever
   * wrote the mail it answers (the latest received one when the thread's latest was ours).
   */
  async onMessage(event: IncomingEvent): Promise<void> {
    if (!event.encrypted || event.type !== "m.room.message") return;
    const { outbox, threads, clock } = this.deps;
    const { rootEventId, inReplyTo, explicitReply } = threadOfContent(event.content);
    const repliedMail = inReplyTo ? threads.byEvent(event.roomId, inReplyTo) : undefined;
    const root = rootEventId ?? repliedMail?.rootEventId;
    if (!root) return;
    const dueAt = clock.now() + this.deps.composeMs;
    const chosen = explicitReply && repliedMail?.rootEventId === root ? repliedMail : undefined;
    const composing = outbox.composing(event.roomId, root, event.sender);
    if (composing && chosen && composing.answersEventId !== undefined && composing.answersEventId !== chosen.eventId) {
      // A reply to another mail of the thread is another mail, to its own recipient.
      outbox.finishComposing(composing.id);
    } else if (composing) {
      outbox.addPart(composing.id, event.eventId, dueAt);
      this.deps.onDraftChanged();
      return;
    }
    const thread = threads.inThread(event.roomId, root);
    const answered = chosen ?? thread.at(-1);
    if (!answered) return;
    const recipientSource = chosen ?? [...thread].reverse().find((m) => m.direction === "in") ?? thread[0]!;
    const recipients = await this.recipientsOf(event.roomId, recipientSource);
    if (recipients.length === 0) {
      this.deps.logger.warn({ roomId: event.roomId, eventId: event.eventId }, "mail thread without a recipient to answer; message not sent");
      return;
    }
    const draft = outbox.open(
      {
        mailbox: answered.mailbox,
        roomId: event.roomId,
        threadRootId: root,
        sender: event.sender,
        messageId: messageIdForEvent(event.eventId, domainOf(answered.mailbox)),
        recipients,
        answersEventId: answered.eventId,
      },
      dueAt,
    );
    outbox.addPart(draft.id, event.eventId, dueAt);
    this.deps.onDraftChanged();
    this.deps.logger.info({ outboxId: draft.id, roomId: event.roomId, explicitReply: chosen !== undefined }, "reply draft opened");
  }

  /** Who an answer to this mail goes to: its Reply-To or sender if we received it, its recipients if we sent it. */
  private async recipientsOf(roomId: string, mail: BridgedMail): Promise<readonly string[]> {
    if (mail.direction === "out") return this.deps.outbox.byMessageId(mail.messageId)?.recipients ?? [];
    const meta = mailMetaOf((await this.deps.matrix.readEvent(roomId, mail.eventId)).content);
    if (!meta) return [];
    return meta.replyTo.length > 0 ? meta.replyTo : meta.from ? [meta.from] : [];
  }
}
