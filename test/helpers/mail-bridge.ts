// The MSSanté bridge's test world: a private Dovecot with a certificate-only mailbox for the
// CPTS, the submission stand-in relaying into it, a bridge process configured for them, and
// helpers to deliver mail (LMTP, as an operator's MTA would) and to look into mailboxes.
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ImapFlow } from "imapflow";
import nodemailer from "nodemailer";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import type { SharedSecretAccess } from "../../scripts/lib/synapse-admin.ts";
import { systemClock } from "../../bots/core/clock.ts";
import { openDatabase } from "../../bots/database.ts";
import { VerifiedMembers } from "../../bots/core/store/verified-members.ts";
import { prepareBot, type BotSetup } from "./bot-process.ts";
import type { ElementClient } from "./element-client.ts";
import { until } from "./until.ts";
import { startDovecot, type DovecotOptions, type LocalDovecot } from "../../scripts/lib/dovecot.ts";
import { startSubmission, type TestSubmission } from "./mail-submission.ts";

export interface MailWorld {
  readonly dovecot: LocalDovecot;
  readonly submission: TestSubmission;
  readonly mailbox: string;
  readonly setup: BotSetup;
  /** Delivers a raw mail to `to` (default: the bridge's mailbox) through LMTP. */
  deliver(raw: Buffer, to?: string): Promise<void>;
  /** Counts of the bridge's mailbox folders (doveadm), e.g. { INBOX: 0, Processed: 3 }. */
  folderCounts(): Record<string, number>;
  /** Raw mails in a correspondent's INBOX (read with the reader password). */
  readInbox(address: string): Promise<Buffer[]>;
  dispose(): Promise<void>;
}

export interface MailWorldOptions {
  readonly coordinators: readonly string[];
  readonly mailbox?: string;
  readonly auth?: "certificate" | "token";
  readonly extraOptions?: Record<string, unknown>;
  /** Homeserver URL the bridge uses (a proxy in front of the test Synapse). */
  readonly homeserverUrl?: string;
  /** The homeserver to register the bridge on (benchmarks run their own); default the suite's. */
  readonly synapse?: SharedSecretAccess & { baseUrl: string };
}

export async function startMailWorld(options: MailWorldOptions): Promise<MailWorld> {
  const mailbox = options.mailbox ?? `cpts-${randomBytes(3).toString("hex")}@cpts-grand-douai.mssante.test`;
  const token = randomBytes(16).toString("hex");
  const auth = options.auth ?? "certificate";
  const dovecotOptions: DovecotOptions = auth === "certificate" ? { certificateMailboxes: [mailbox] } : { tokenMailboxes: { [mailbox]: token } };
  const dovecot = await startDovecot(dovecotOptions);
  const submission = await startSubmission(dovecot, auth === "token" ? { tokens: { [mailbox]: token } } : {});
  const cert = dovecot.pki.clientCertificate(mailbox);
  const secretsDir = dovecot.dir;
  const tokenFile = join(secretsDir, "mailbox.token");
  writeFileSync(tokenFile, token);
  const spec = {
    botId: "mssante",
    acceptFrom: "local-users" as const,
    cpts: { coordinators: options.coordinators },
    botOptions: {
      mailboxes: [
        {
          address: mailbox,
          imap: { host: dovecot.host, port: dovecot.imapsPort },
          smtp: { host: submission.host, port: submission.port, implicitTls: true },
          auth: auth === "certificate" ? { method: "certificate", certFile: cert.certFile, keyFile: cert.keyFile } : { method: "token", tokenFile },
          caFile: dovecot.pki.caFile,
        },
      ],
      // Relative: resolved against the configuration file's folder, not the bot's working directory.
      patientKeyFile: "patient.key",
      composeSeconds: 1,
      resyncSeconds: 5,
      retry: { firstDelaySeconds: 1, maxDelaySeconds: 2, giveUpHours: 1 },
      ...options.extraOptions,
    },
  };
  const setup = options.synapse ? await prepareBot(spec, options.synapse) : await prepareBot(spec);
  writeFileSync(join(setup.dataDir, "patient.key"), randomBytes(32).toString("base64url"));
  // The coordinators are verified members, as the annuaire makes them in production: the
  // Synapse policy lets the bridge invite them to the triage room.
  const db = openDatabase(join(setup.dataDir, "bots.db"));
  try {
    const verified = new VerifiedMembers(db, systemClock);
    for (const userId of options.coordinators) verified.markVerified(userId, "@coordination:test");
  } finally {
    db.close();
  }
  if (options.homeserverUrl) {
    const config = parseYaml(readFileSync(setup.configFile, "utf8")) as Record<string, unknown>;
    writeFileSync(setup.configFile, toYaml({ ...config, homeserverUrl: options.homeserverUrl }));
  }
  const lmtp = nodemailer.createTransport({ host: dovecot.host, port: dovecot.lmtpPort, lmtp: true, secure: false, ignoreTLS: true } as never);
  return {
    dovecot,
    submission,
    mailbox,
    setup,
    async deliver(raw, to = mailbox) {
      await lmtp.sendMail({ envelope: { from: "sender@mssante.test", to: [to] }, raw });
    },
    folderCounts() {
      const out = dovecot.doveadm(["-f", "tab", "mailbox", "status", "-u", mailbox, "messages", "*"]);
      return Object.fromEntries(
        out.trim().split("\n").slice(1).map((line) => {
          const [name, count] = line.split("\t");
          return [name!, Number(count)];
        }),
      );
    },
    async readInbox(address) {
      const client = new ImapFlow({ host: dovecot.host, port: dovecot.imapsPort, secure: true, logger: false, auth: { user: address, pass: dovecot.readerPassword }, tls: { ca: readFileSync(dovecot.pki.caFile) } });
      await client.connect();
      try {
        const lock = await client.getMailboxLock("INBOX");
        try {
          const sources: Buffer[] = [];
          const status = client.mailbox === false ? 0 : client.mailbox.exists;
          if (status === 0) return [];
          for await (const message of client.fetch("1:*", { source: true })) if (message.source) sources.push(message.source);
          return sources;
        } finally {
          lock.release();
        }
      } finally {
        await client.logout();
      }
    },
    async dispose() {
      await submission.close();
      await dovecot.dispose();
    },
  };
}

/** The bridge's triage room, once the bridge created it, joined by a coordinator it invited. */
export async function joinTriageRoom(world: MailWorld, coordinator: ElementClient): Promise<string> {
  const db = openDatabase(join(world.setup.dataDir, "bots.db"));
  try {
    const triage = (): { room_id: string } | undefined => db.prepare("SELECT room_id FROM mssante_rooms WHERE key = 'triage'").get() as { room_id: string } | undefined;
    await until("triage room created", 30_000, () => triage() !== undefined);
    const roomId = triage()!.room_id;
    await until("the coordinator's invitation", 30_000, () => coordinator.joinRoom(roomId).then(() => true, () => false));
    return roomId;
  } finally {
    db.close();
  }
}
