import type { Clock } from "../../../bots/core/clock.ts";
import { localize, type Lang } from "../../../bots/core/i18n/lang.ts";
import type { Logger } from "../../../bots/core/logger.ts";
import type { MessageId } from "../mail/message-id.ts";
import { mailMetaOf, noticeMessageContent, type EncryptedFile, type Placement } from "../matrix/contents.ts";
import type { ReadEvent } from "../matrix/matrix-mail.ts";
import { MSSANTE_MESSAGES as M } from "../messages.ts";
import type { MailSubmitter, SubmitOutcome } from "../smtp/submitter.ts";
import type { MailThreads } from "../store/mail-threads.ts";
import type { OutboundMail, Outbox } from "../store/outbox.ts";
import { composeMail, splitCommandText, type AnsweredMail, type OutboundPart } from "./compose.ts";

/** What sending needs from Matrix. */
export interface SenderMatrix {
  readEvent(roomId: string, eventId: string): Promise<ReadEvent>;
  download(file: EncryptedFile): Promise<Buffer>;
  downloadPlain(mxcUrl: string): Promise<Buffer>;
  displayName(roomId: string, userId: string): string;
  send(roomId: string, content: Record<string, unknown>, idempotencyKey: string): Promise<string>;
}

export interface RetryPolicy {
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  readonly giveUpMs: number;
}

export interface SenderDeps {
  readonly outbox: Outbox;
  readonly threads: MailThreads;
  readonly matrix: SenderMatrix;
  readonly submitters: ReadonlyMap<string, MailSubmitter>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly lang: Lang;
  readonly organisationName: string;
  readonly retry: RetryPolicy;
}

const SAFETY_POLL_MS = 30_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Delay before attempt `attempts + 1` after `attempts` temporary failures. */
export function retryDelay(policy: RetryPolicy, attempts: number): number {
  return Math.min(policy.firstDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs);
}

class UnreadablePart extends Error {}

/**
 * Sends due mails from the durable outbox by SMTP and tells the room what happened: when
 * the mail left, that the server deferred it (retried with backoff, from the outbox, across
 * restarts), or that it was refused. Content is read back from Matrix at sending time.
 */
export class OutboundSender {
  private readonly deps: SenderDeps;
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private stopped = false;
  private busy: Promise<void> | undefined;
  private again = false;

  constructor(deps: SenderDeps) {
    this.deps = deps;
  }

  /** Sends what is due from now on, by itself. */
  start(): void {
    this.started = true;
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.busy;
  }

  /** Looks at the outbox again (a draft was opened or extended). */
  kick(): void {
    if (!this.started || this.stopped) return;
    clearTimeout(this.timer);
    const next = this.deps.outbox.nextDueAt();
    const wait = next === undefined ? SAFETY_POLL_MS : Math.max(0, Math.min(next - this.deps.clock.now(), SAFETY_POLL_MS));
    this.timer = setTimeout(() => void this.runDue(), Math.min(wait, MAX_TIMER_MS));
  }

  /** Sends everything due now; one run at a time. */
  async runDue(): Promise<void> {
    if (this.busy) {
      this.again = true;
      return this.busy;
    }
    this.busy = (async () => {
      do {
        this.again = false;
        for (const mail of this.deps.outbox.takeDue()) {
          if (this.stopped) break;
          await this.sendOne(mail).catch((err: unknown) => {
            this.deps.logger.error({ outboxId: mail.id, err: (err as Error).message }, "outgoing mail not handled; retried later");
            this.deps.outbox.retryLater(mail.id, "internal error", this.deps.clock.now() + retryDelay(this.deps.retry, mail.attempts + 1));
          });
        }
      } while (this.again && !this.stopped);
    })();
    try {
      await this.busy;
    } finally {
      this.busy = undefined;
      this.kick();
    }
  }

  private async sendOne(mail: OutboundMail): Promise<void> {
    const { outbox, logger, lang } = this.deps;
    const partIds = outbox.parts(mail.id);
    const lastEventId = partIds.at(-1) ?? mail.commandEventId ?? mail.threadRootId;
    const placement: Placement = { kind: "thread", rootEventId: mail.threadRootId, inReplyTo: lastEventId, fallback: true };
    const notice = (text: string, key: string): Promise<string> => this.deps.matrix.send(mail.roomId, noticeMessageContent(text, placement), `out-${key}:${mail.id}`);

    let content: { parts: OutboundPart[]; subject: string | undefined; answering: AnsweredMail | undefined };
    try {
      content = await this.readContent(mail, partIds);
    } catch (err) {
      if (!(err instanceof UnreadablePart)) throw err;
      outbox.markFailed(mail.id, "unreadable part");
      await notice(localize(M.mailPartUnreadable, lang, { detail: err.message }), "failed");
      return;
    }
    if (content.parts.length === 0) {
      outbox.markFailed(mail.id, "empty");
      await notice(localize(M.mailEmpty, lang), "failed");
      return;
    }
    const submitter = this.deps.submitters.get(mail.mailbox);
    if (!submitter) throw new Error(`no submission configured for ${mail.mailbox}`);
    const name = this.deps.matrix.displayName(mail.roomId, mail.sender);
    const composed = await composeMail({
      mailbox: mail.mailbox,
      fromName: `${name} — ${this.deps.organisationName}`,
      recipients: mail.recipients,
      messageId: mail.messageId,
      answering: content.answering,
      subject: content.subject ?? localize(M.defaultSubject, lang, { name }),
      parts: content.parts,
      date: new Date(this.deps.clock.now()),
    });
    const outcome: SubmitOutcome = await submitter.submit(composed);
    logger.info({ outboxId: mail.id, outcome: outcome.kind, attempts: mail.attempts + 1 }, "outgoing mail submitted");
    if (outcome.kind === "sent") {
      outbox.markSent(mail.id);
      this.deps.threads.record({ mailbox: mail.mailbox, messageId: mail.messageId, roomId: mail.roomId, eventId: partIds[0] ?? mail.commandEventId ?? mail.threadRootId, rootEventId: mail.threadRootId, direction: "out" });
      await notice(localize(M.mailSent, lang, { time: clockTime(this.deps.clock.now(), lang), recipients: mail.recipients.join(", ") }), "sent");
      return;
    }
    const gaveUp = outcome.kind === "temporary" && this.deps.clock.now() - mail.createdAt > this.deps.retry.giveUpMs;
    if (outcome.kind === "permanent" || gaveUp) {
      outbox.markFailed(mail.id, outcome.answer);
      const text = outcome.kind === "permanent" ? localize(M.mailRefused, lang, { answer: outcome.answer }) : localize(M.mailGaveUp, lang, { hours: Math.round(this.deps.retry.giveUpMs / 3_600_000), answer: outcome.answer });
      await notice(text, "failed");
      return;
    }
    outbox.retryLater(mail.id, outcome.answer, this.deps.clock.now() + retryDelay(this.deps.retry, mail.attempts + 1));
    if (!mail.delayNoticeEventId) outbox.setDelayNotice(mail.id, await notice(localize(M.mailDelayed, lang, { answer: outcome.answer }), "delayed"));
  }

  /** The texts and files of the mail, and what it answers, read back from the events. */
  private async readContent(mail: OutboundMail, partIds: readonly string[]) {
    const { threads } = this.deps;
    const parts: OutboundPart[] = [];
    let subject: string | undefined;
    if (mail.commandEventId) {
      const command = await this.read(mail.roomId, mail.commandEventId);
      const text = String(command.content["body"] ?? "").replace(/^\s*[!/]\S+\s+\S+[ \t]*/, "");
      const split = splitCommandText(text);
      subject = split.subject;
      if (split.body) parts.push({ kind: "text", text: split.body });
    }
    for (const eventId of partIds) parts.push(...(await this.partsOf(await this.read(mail.roomId, eventId))));

    let answering: AnsweredMail | undefined;
    const answered = mail.answersEventId ? threads.byEvent(mail.roomId, mail.answersEventId) : undefined;
    if (answered) {
      const thread = threads.inThread(mail.roomId, mail.threadRootId);
      const root = thread[0]!;
      const rootMeta = root.direction === "in" ? mailMetaOf((await this.read(mail.roomId, root.eventId)).content) : undefined;
      const rootSubject = rootMeta?.subject ?? (await this.commandSubject(root.messageId));
      // References name the answered mail's ancestors only, not the thread's later mails.
      const answeredAt = thread.findIndex((m) => m.messageId === answered.messageId);
      const ancestors = answeredAt === -1 ? thread : thread.slice(0, answeredAt);
      answering = {
        messageId: answered.messageId,
        subject: rootSubject,
        references: [...(rootMeta?.references ?? []), ...ancestors.map((m) => m.messageId)],
      };
    }
    return { parts, subject, answering };
  }

  /** The subject a `!mail` gave its mail (first line of several), for the replies that follow it. */
  private async commandSubject(messageId: MessageId): Promise<string> {
    const first = this.deps.outbox.byMessageId(messageId);
    if (!first?.commandEventId) return "";
    const command = await this.read(first.roomId, first.commandEventId);
    return splitCommandText(String(command.content["body"] ?? "").replace(/^\s*[!/]\S+\s+\S+[ \t]*/, "")).subject ?? "";
  }

  private async read(roomId: string, eventId: string): Promise<ReadEvent> {
    try {
      return await this.deps.matrix.readEvent(roomId, eventId);
    } catch (err) {
      if ((err as { errcode?: string }).errcode === "M_NOT_FOUND" || /cannot be decrypted/.test((err as Error).message)) throw new UnreadablePart((err as Error).message);
      throw err;
    }
  }

  private async partsOf(event: ReadEvent): Promise<OutboundPart[]> {
    const content = event.content;
    const msgtype = content["msgtype"];
    const body = typeof content["body"] === "string" ? content["body"] : "";
    if (msgtype === "m.text" || msgtype === "m.emote") return body.trim() ? [{ kind: "text", text: withoutReplyFallback(body) }] : [];
    if (msgtype !== "m.file" && msgtype !== "m.image" && msgtype !== "m.video" && msgtype !== "m.audio") return [];
    const info = content["info"] as { mimetype?: string } | undefined;
    const file = content["file"] as (EncryptedFile & { mimetype?: string }) | undefined;
    const url = content["url"];
    const fileName = typeof content["filename"] === "string" ? content["filename"] : body || "piece-jointe";
    const data = file ? await this.deps.matrix.download(file) : typeof url === "string" ? await this.deps.matrix.downloadPlain(url) : undefined;
    if (!data) return [];
    const caption = typeof content["filename"] === "string" && body && body !== content["filename"] ? [{ kind: "text" as const, text: body }] : [];
    return [...caption, { kind: "file", fileName, contentType: info?.mimetype ?? file?.mimetype ?? "application/octet-stream", data }];
  }
}

/** Element quotes the answered message in `body` ("> <@x> …" lines then a blank line) for old clients. */
function withoutReplyFallback(body: string): string {
  const lines = body.split("\n");
  if (!lines[0]?.startsWith("> ")) return body;
  const end = lines.findIndex((line) => !line.startsWith(">"));
  return lines.slice(end === -1 ? lines.length : end).join("\n").trim();
}

function clockTime(at: number, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" }).format(at);
}
