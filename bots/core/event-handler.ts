import { randomUUID } from "node:crypto";
import { SyncState, type MatrixClient } from "matrix-js-sdk";
import type { BaseContext, Reply } from "./commands/command.ts";
import { parseCommand } from "./commands/parse.ts";
import type { createRouter } from "./commands/router.ts";
import { localize, type Lang } from "./i18n/lang.ts";
import { RUNTIME_MESSAGES } from "./i18n/runtime-messages.ts";
import {
  acceptsInviteFrom,
  classifyEvent,
  classifyReaction,
  isUnreadableSession,
  type IncomingEvent,
  type InvitePolicy,
  type Reaction,
  type UndecryptableEvent,
} from "./intake.ts";
import type { Logger } from "./logger.ts";
import { currentJoinTs, isRoomEncrypted, pendingMemberships, sessionName, sessionOfKey, type MatrixEventSink } from "./matrix/matrix-adapter.ts";
import { backfillGap } from "./matrix/gap-backfill.ts";
import { sendReply } from "./matrix/reply-sender.ts";
import type { BotMetrics } from "./metrics.ts";
import type { BotRooms } from "./store/bot-rooms.ts";
import type { EventLedger } from "./store/event-ledger.ts";
import type { UnverifiedSessionNotices } from "./store/unverified-session-notices.ts";
import type { SyncHealth } from "./sync-health.ts";
import type { BotServices } from "./bot-runtime.ts";

const SEND_ATTEMPTS = 3;

export interface HandlerDeps {
  readonly botId: string;
  readonly client: MatrixClient;
  readonly logger: Logger;
  readonly metrics: BotMetrics;
  readonly router: ReturnType<typeof createRouter<BaseContext>>;
  readonly ledger: EventLedger;
  readonly sessionNotices: UnverifiedSessionNotices;
  readonly rooms: BotRooms;
  readonly services: BotServices;
  readonly syncHealth: SyncHealth;
  readonly defaultLanguage: Lang;
  readonly invitePolicy: InvitePolicy;
  /** When the previous run of this bot last synced, if it ever did. */
  readonly previousRunSyncedAt: number | undefined;
  readonly onReaction: ((reaction: Reaction) => Promise<void>) | undefined;
  readonly conversation: Conversation | undefined;
  readonly onMessage?: ((event: IncomingEvent) => Promise<void>) | undefined;
}

/** A guided exchange: while one is open for a person in a room, their plain texts go to it. */
export interface Conversation {
  /** Cheap and synchronous: called for every plain text, so ordinary chat costs no write. */
  isOpen(userId: string, roomId: string): boolean;
  answer(ctx: BaseContext, text: string): Promise<Reply>;
}

/** Server and bot clocks may differ: page back a little further than strictly needed. */
const CLOCK_SKEW_MARGIN_MS = 5 * 60_000;
/** A bound on one backfill; beyond it the gap is logged as incomplete. */
const MAX_BACKFILL_EVENTS = 2_000;

/** Turns homeserver events into handled commands, exactly once each. */
export class BotEventHandler implements MatrixEventSink {
  readonly firstSync: Promise<void>;
  private readonly deps: HandlerDeps;
  private readonly inFlight = new Set<string>();
  private readonly gaps = new Set<string>();

  constructor(deps: HandlerDeps) {
    this.deps = deps;
    this.firstSync = deps.syncHealth.firstSync;
  }

  onSyncState(state: SyncState, at: number, fromCache: boolean): void {
    if (state === SyncState.Error) this.deps.metrics.errors.inc({ kind: "sync" });
    const syncedBefore = this.deps.syncHealth.lastSync() ?? this.deps.previousRunSyncedAt;
    if (this.deps.syncHealth.onSyncState(state, at, fromCache) && this.gaps.size > 0) {
      // The sync that reported the gaps is fully processed: its events are in the timelines.
      const rooms = [...this.gaps];
      this.gaps.clear();
      for (const roomId of rooms) void this.backfill(roomId, syncedBefore);
    }
  }

  onTimelineGap(roomId: string): void {
    this.gaps.add(roomId);
  }

  private async backfill(roomId: string, syncedBefore: number | undefined): Promise<void> {
    const { client, logger, rooms, metrics } = this.deps;
    const room = client.getRoom(roomId);
    if (!room) return;
    const since = (syncedBefore ?? rooms.joinedAt(roomId) ?? 0) - CLOCK_SKEW_MARGIN_MS;
    try {
      const fetched = await backfillGap(client, room, since, MAX_BACKFILL_EVENTS);
      const level = fetched >= MAX_BACKFILL_EVENTS ? "warn" : "info";
      logger[level]({ roomId, fetched, complete: fetched < MAX_BACKFILL_EVENTS }, "timeline gap paged back");
    } catch (err) {
      metrics.errors.inc({ kind: "backfill" });
      logger.error({ roomId, err: (err as Error).message }, "could not page back a timeline gap");
    }
  }

  onUndecryptable(event: UndecryptableEvent): void {
    this.deps.metrics.errors.inc({ kind: "decryption" });
    if (!isUnreadableSession(event)) {
      this.deps.logger.warn({ eventId: event.eventId, roomId: event.roomId, reason: event.reason }, "cannot decrypt event yet (keys may still arrive)");
      return;
    }
    this.tellAboutUnverifiedSession(event).catch((err: unknown) => {
      this.deps.logger.error({ eventId: event.eventId, roomId: event.roomId, err: (err as Error).message }, "could not tell about an unverified session");
    });
  }

  /**
   * A message from a session that is not cross-signed is never read (patient data goes to
   * verified sessions only); its author is told once a day per session, in the same room,
   * where the bot's encrypted notice reaches only their verified sessions.
   */
  private async tellAboutUnverifiedSession(event: UndecryptableEvent): Promise<void> {
    await this.firstSync;
    const { client, logger, services, sessionNotices } = this.deps;
    const joinedAt = this.deps.rooms.joinedAt(event.roomId) ?? this.recordCurrentJoin(event.roomId);
    if (event.sender === client.getSafeUserId() || joinedAt === undefined || event.originServerTs < joinedAt) return;
    const session = event.senderDeviceId
      ? { deviceId: event.senderDeviceId, displayName: await sessionName(client, event.sender, event.senderDeviceId) }
      : event.senderKey
        ? await sessionOfKey(client, event.sender, event.senderKey)
        : undefined;
    const deviceId = session?.deviceId ?? "?";
    logger.warn({ eventId: event.eventId, roomId: event.roomId, sender: event.sender, deviceId, reason: event.reason }, "message from a session the bot does not read");
    if (!sessionNotices.claim(event.sender, deviceId)) return;
    const lang = services.preferences.language(event.sender) ?? this.deps.defaultLanguage;
    const label = session?.displayName ? `« ${session.displayName} » (${deviceId})` : deviceId;
    const text = localize(event.reason === "UNSIGNED_SENDER_DEVICE" ? RUNTIME_MESSAGES.unverifiedSession : RUNTIME_MESSAGES.withheldSession, lang, { session: label });
    await services.messenger.notice(event.roomId, { text }, `unverified-session:${event.eventId}`);
  }

  onOwnJoin(roomId: string, joinedAt: number): void {
    this.deps.rooms.recordJoin(roomId, joinedAt);
  }

  onOwnLeave(roomId: string): void {
    this.deps.rooms.forget(roomId);
  }

  async catchUpMemberships(): Promise<void> {
    const { invites, joins } = pendingMemberships(this.deps.client);
    for (const { roomId, joinedAt } of joins) if (this.deps.rooms.joinedAt(roomId) === undefined) this.deps.rooms.recordJoin(roomId, joinedAt);
    for (const { roomId, inviter } of invites) await this.onInvite(roomId, inviter);
  }

  async onInvite(roomId: string, inviter: string): Promise<void> {
    await this.firstSync;
    const key = `invite:${roomId}`;
    if (this.inFlight.has(key)) return;
    this.inFlight.add(key);
    try {
      const { client, logger, services, invitePolicy } = this.deps;
      // The room may not be stored yet when its invite is announced: only skip a room already joined.
      if (client.getRoom(roomId)?.getMyMembership() === "join") return;
      if (acceptsInviteFrom(inviter, invitePolicy, (userId) => services.members.isVerified(userId))) {
        await client.joinRoom(roomId);
        logger.info({ roomId, inviter }, "joined on invite");
      } else {
        await client.leave(roomId);
        logger.info({ roomId, inviter }, "declined invite from a user outside the invite policy");
      }
    } finally {
      this.inFlight.delete(key);
    }
  }

  async onRoomEvent(event: IncomingEvent): Promise<void> {
    await this.firstSync;
    const { client, logger, rooms, ledger } = this.deps;
    const joinedAt = rooms.joinedAt(event.roomId) ?? this.recordCurrentJoin(event.roomId);
    if (event.type === "m.reaction") {
      const reaction = classifyReaction(event, client.getSafeUserId(), joinedAt);
      const onReaction = this.deps.onReaction;
      if (reaction && onReaction) await this.onceFor(event, () => this.handleReaction(reaction, onReaction));
      return;
    }
    const intake = classifyEvent(event, client.getSafeUserId(), joinedAt);
    if (intake.kind === "ignore") {
      if (intake.reason === "not-text") await this.otherMessage(event);
      return;
    }
    if (parseCommand(intake.body).kind === "not-a-command") {
      const conversation = this.deps.conversation;
      if (conversation?.isOpen(event.sender, event.roomId)) await this.onceFor(event, () => this.continueConversation(event, intake.body, conversation));
      else await this.otherMessage(event);
      return;
    }
    await this.onceFor(event, async (resumed) => {
      const { reply, command, status } = await this.answer(event, intake.body);
      const replyEventId = await this.send(event, reply);
      ledger.complete(event.eventId, status, replyEventId);
      this.deps.metrics.commands.inc({ command: command ?? "none", status });
      logger.info({ eventId: event.eventId, roomId: event.roomId, command, status, resumed }, "command handled");
    });
  }

  /** A message that is neither a command nor a conversation answer (a text, a file): to the bot's onMessage, exactly once. */
  private async otherMessage(event: IncomingEvent): Promise<void> {
    const onMessage = this.deps.onMessage;
    if (!onMessage) return;
    await this.onceFor(event, async () => {
      let outcome = "message";
      try {
        await onMessage(event);
      } catch (err) {
        outcome = "message-error";
        this.deps.metrics.errors.inc({ kind: "message" });
        this.deps.logger.error({ eventId: event.eventId, roomId: event.roomId, err: (err as Error).message }, "message handling failed");
      }
      this.deps.ledger.complete(event.eventId, outcome, null);
    });
  }

  /** Runs `handle` unless this event is being or has been handled (ledger), exactly once. */
  private async onceFor(event: IncomingEvent, handle: (resumed: boolean) => Promise<void>): Promise<void> {
    if (this.inFlight.has(event.eventId)) return;
    this.inFlight.add(event.eventId);
    try {
      const claim = this.deps.ledger.claim(event.eventId, event.roomId);
      if (claim === "done") return;
      await handle(claim === "resume");
    } finally {
      this.inFlight.delete(event.eventId);
    }
  }

  /** A failing reaction handler is logged and not retried: the person can react again. */
  private async handleReaction(reaction: Reaction, onReaction: (reaction: Reaction) => Promise<void>): Promise<void> {
    const { ledger, logger, metrics } = this.deps;
    let outcome = "reaction";
    try {
      await onReaction(reaction);
    } catch (err) {
      outcome = "reaction-error";
      metrics.errors.inc({ kind: "reaction" });
      logger.error({ eventId: reaction.eventId, roomId: reaction.roomId, err: (err as Error).message }, "reaction handling failed");
    }
    ledger.complete(reaction.eventId, outcome, null);
  }

  private recordCurrentJoin(roomId: string): number | undefined {
    const joinedAt = currentJoinTs(this.deps.client, roomId);
    if (joinedAt !== undefined) this.deps.rooms.recordJoin(roomId, joinedAt);
    return joinedAt;
  }

  /** A plain answer in a guided conversation the person has open with the bot. */
  private async continueConversation(event: IncomingEvent, body: string, conversation: Conversation): Promise<void> {
    const ctx = this.contextOf(event);
    let reply: Reply;
    let status = "ok";
    if (!event.encrypted || !isRoomEncrypted(this.deps.client, event.roomId)) {
      reply = { text: localize(RUNTIME_MESSAGES.unencryptedRoom, ctx.lang) };
      status = "refused-unencrypted";
    } else {
      try {
        reply = await conversation.answer(ctx, body);
      } catch (err) {
        status = "internal-error";
        this.deps.metrics.errors.inc({ kind: "conversation" });
        this.deps.logger.error({ eventId: event.eventId, correlationId: ctx.correlationId, err: (err as Error).message }, "conversation step failed");
        reply = { text: localize(RUNTIME_MESSAGES.conversationFailed, ctx.lang, { ref: ctx.correlationId }) };
      }
    }
    const replyEventId = await this.send(event, reply);
    this.deps.ledger.complete(event.eventId, `conversation-${status}`, replyEventId);
    this.deps.logger.info({ eventId: event.eventId, roomId: event.roomId, status }, "conversation answer handled");
  }

  private contextOf(event: IncomingEvent): BaseContext {
    const lang = this.deps.services.preferences.language(event.sender) ?? this.deps.defaultLanguage;
    return {
      lang,
      sender: event.sender,
      roomId: event.roomId,
      correlationId: randomUUID().slice(0, 8),
      eventId: event.eventId,
      ...(event.senderSessionVerified === undefined ? {} : { senderSessionVerified: event.senderSessionVerified }),
    };
  }

  private async answer(event: IncomingEvent, body: string): Promise<{ reply: Reply; command: string | null; status: string }> {
    const { client, router } = this.deps;
    const ctx = this.contextOf(event);
    if (!event.encrypted || !isRoomEncrypted(client, event.roomId)) {
      return { reply: { text: localize(RUNTIME_MESSAGES.unencryptedRoom, ctx.lang) }, command: null, status: "refused-unencrypted" };
    }
    const outcome = await router.route(body, ctx);
    if (outcome.kind === "ignored") throw new Error("router ignored a text the parser took for a command");
    return { reply: outcome.reply, command: outcome.command, status: outcome.status };
  }

  private async send(event: IncomingEvent, reply: Reply): Promise<string> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= SEND_ATTEMPTS; attempt++) {
      try {
        return await sendReply(this.deps.client, this.deps.botId, event.roomId, event.eventId, reply);
      } catch (err) {
        lastError = err;
        this.deps.metrics.errors.inc({ kind: "send" });
        this.deps.logger.warn({ eventId: event.eventId, attempt, err: (err as Error).message }, "reply not sent, retrying");
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
    throw lastError;
  }
}
