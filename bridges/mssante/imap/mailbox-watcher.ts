import { ImapFlow } from "imapflow";
import type { Logger } from "../../../bots/core/logger.ts";
import type { InboundOutcome } from "../inbound/inbound-processor.ts";
import type { MailboxCredentials, MailboxOptions } from "../options.ts";
import type { MailLocation } from "../store/inbound-ledger.ts";

/** IMAP keyword set on a mail once Matrix accepted all of it, before it is moved to the processed folder. */
export const BRIDGED_KEYWORD = "$CptsBridged";
/** Sent as the password of a certificate mailbox: the operator authenticates the TLS client certificate, not this. */
const CERTIFICATE_LOGIN_PLACEHOLDER = "tls-client-certificate";
const FETCH_BATCH = 20;
/** Mails carried at the same time (parsed, uploading, posting; in arrival order within a room): bounds memory in a catch-up. */
const MAILS_IN_FLIGHT = 16;
const MAX_BACKOFF_MS = 30_000;
/** Re-issued this often: NAT boxes and operators drop silent connections. */
const MAX_IDLE_MS = 5 * 60_000;

/** What the watcher asks of the inbound side for each mail. */
export interface MailIntake {
  /** Called in arrival order; resolves once Matrix accepted every event of the mail. */
  process(location: MailLocation, source: Buffer): Promise<InboundOutcome>;
  /** These mails are now marked processed in the mailbox. */
  done(inboundIds: readonly number[]): void;
}

export interface WatcherDeps {
  readonly options: MailboxOptions;
  readonly credentials: MailboxCredentials;
  readonly intake: MailIntake;
  readonly resyncMs: number;
  readonly logger: Logger;
}

/**
 * Keeps one mailbox's INBOX in step with Matrix: IMAP IDLE for new mail, a full pass at
 * every (re)connection and every `resyncMs`. Each unprocessed mail (no bridged keyword) is
 * handed to the intake, oldest first, several in flight at once; only once the intake
 * resolves (Matrix accepted every event) is the mail given the keyword, then moved to the
 * processed folder; after a failure no later mail is started. A connection that drops (server
 * restart, network) is opened again with backoff; a failed pass (Matrix unreachable) is
 * retried with backoff; mail simply waits in INBOX meanwhile.
 */
export class MailboxWatcher {
  private readonly deps: WatcherDeps;
  private running = false;
  private loop: Promise<void> | undefined;
  private client: ImapFlow | undefined;
  private wake: (() => void) | undefined;
  private lastUidValidity: number | undefined;
  /** Mail arrived since the current pass began (IDLE news during a pass must not wait for the resync). */
  private news = false;

  constructor(deps: WatcherDeps) {
    this.deps = deps;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    const client = this.client;
    if (client?.usable) await client.logout().catch(() => client.close());
    else client?.close();
    await this.loop;
  }

  private get log(): Logger {
    return this.deps.logger;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      const client = this.connectClient();
      this.client = client;
      try {
        await client.connect();
        await this.ensureFolder(client);
        const mailbox = await client.mailboxOpen("INBOX");
        this.noteUidValidity(Number(mailbox.uidValidity));
        this.log.info({ mailbox: this.deps.options.address, exists: mailbox.exists }, "mailbox connected");
        failures = 0;
        await this.watch(client);
      } catch (err) {
        if (!this.running) break;
        failures++;
        this.log.warn({ mailbox: this.deps.options.address, failures, err: (err as Error).message }, "mailbox connection lost; reconnecting");
      } finally {
        client.close();
      }
      if (this.running) await this.sleep(backoff(failures));
    }
  }

  /** Passes and IDLE on one connection, until it closes or the watcher stops. */
  private async watch(client: ImapFlow): Promise<void> {
    let passFailures = 0;
    while (this.running && client.usable) {
      try {
        this.news = false;
        await this.pass(client);
        passFailures = 0;
        if (!this.news) await this.idleUntilNews(client);
      } catch (err) {
        if (!client.usable) throw err;
        passFailures++;
        this.log.warn({ mailbox: this.deps.options.address, passFailures, err: (err as Error).message }, "mail not carried yet; it waits in the mailbox");
        await this.sleep(backoff(passFailures));
      }
    }
    if (this.running) throw new Error("connection closed");
  }

  /** One pass over INBOX: finish the moves a crash interrupted, then carry every unprocessed mail, oldest first. */
  private async pass(client: ImapFlow): Promise<void> {
    const folder = this.deps.options.processedFolder;
    const uidValidity = Number(client.mailbox === false ? 0 : client.mailbox.uidValidity);
    this.noteUidValidity(uidValidity);
    const leftovers = await client.search({ keyword: BRIDGED_KEYWORD }, { uid: true });
    if (leftovers && leftovers.length > 0) await client.messageMove(leftovers, folder, { uid: true });
    const pending = ((await client.search({ unKeyword: BRIDGED_KEYWORD }, { uid: true })) || []).sort((a, b) => a - b);
    const inFlight = new Set<Promise<void>>();
    const carried: { uid: number; inboundId: number }[] = [];
    let failure: { error: unknown } | undefined;
    try {
      for (let start = 0; start < pending.length && this.running && !failure; start += FETCH_BATCH) {
        const batch = pending.slice(start, start + FETCH_BATCH);
        // Fetched while the mails before are still on their way to Matrix.
        const sources = new Map<number, Buffer>();
        for await (const message of client.fetch(batch, { uid: true, source: true }, { uid: true })) {
          if (message.source) sources.set(message.uid, message.source);
        }
        for (const uid of batch) {
          const source = sources.get(uid);
          if (!source) continue;
          while (inFlight.size >= MAILS_IN_FLIGHT) await Promise.race(inFlight);
          // After a failure no later mail starts: it could overtake the failed one in its room.
          if (failure || !this.running) break;
          const carrying: Promise<void> = this.deps.intake
            .process({ mailbox: this.deps.options.address, uidValidity, uid }, source)
            .then(
              (outcome) => void carried.push({ uid, inboundId: outcome.inboundId }),
              (error: unknown) => void (failure ??= { error }),
            )
            .finally(() => inFlight.delete(carrying));
          inFlight.add(carrying);
        }
        if (carried.length > 0 && client.usable) await this.markProcessed(client, carried.splice(0));
      }
    } finally {
      await Promise.all(inFlight);
    }
    if (carried.length > 0 && client.usable) await this.markProcessed(client, carried.splice(0));
    if (failure) throw failure.error;
  }

  /** Keyword first (a crash before the move leaves a visible mark), then the move. Never an expunge before. */
  private async markProcessed(client: ImapFlow, carried: readonly { uid: number; inboundId: number }[]): Promise<void> {
    const uids = carried.map((c) => c.uid);
    await client.messageFlagsAdd(uids, [BRIDGED_KEYWORD], { uid: true });
    await client.messageMove(uids, this.deps.options.processedFolder, { uid: true });
    this.deps.intake.done(carried.map((c) => c.inboundId));
  }

  private idleUntilNews(client: ImapFlow): Promise<void> {
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        client.off("exists", finish);
        client.off("close", finish);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(finish, this.deps.resyncMs);
      client.on("exists", finish);
      client.on("close", finish);
      if (this.news) return finish();
      this.wake = finish;
      client.idle().catch(() => finish());
    });
  }

  private async ensureFolder(client: ImapFlow): Promise<void> {
    const folder = this.deps.options.processedFolder;
    const folders = await client.list();
    if (!folders.some((f) => f.path === folder)) await client.mailboxCreate(folder);
  }

  private noteUidValidity(uidValidity: number): void {
    if (this.lastUidValidity !== undefined && uidValidity !== this.lastUidValidity) {
      this.log.warn({ mailbox: this.deps.options.address, before: this.lastUidValidity, now: uidValidity }, "UIDVALIDITY changed: mails are recognised by Message-ID and content, none is lost or posted twice");
    }
    this.lastUidValidity = uidValidity;
  }

  private connectClient(): ImapFlow {
    const { imap } = this.deps.options;
    const { certificate, ca, token, login } = this.deps.credentials;
    const client = new ImapFlow({
      host: imap.host,
      port: imap.port,
      secure: true,
      tls: { ...(ca ? { ca } : {}), ...(certificate ? { cert: certificate.cert, key: certificate.key } : {}), minVersion: "TLSv1.2" },
      auth: token ? { user: login, accessToken: token() } : { user: login, pass: CERTIFICATE_LOGIN_PLACEHOLDER },
      logger: false,
      disableAutoIdle: true,
      maxIdleTime: MAX_IDLE_MS,
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
    });
    client.on("exists", () => (this.news = true));
    client.on("error", (err: Error) => this.log.warn({ mailbox: this.deps.options.address, err: err.message }, "IMAP connection error"));
    return client;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }
}

function backoff(failures: number): number {
  return Math.min(500 * 2 ** Math.max(0, failures - 1), MAX_BACKOFF_MS);
}
